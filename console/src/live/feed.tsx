// One mailbox feed per session, shared by the screens that show mail (dashboard, inbox).
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { MailboxEvent } from '../api/types';
import { MailboxFeed, type FeedStatus } from './mailbox';

const Context = createContext<MailboxFeed | null>(null);

export function FeedProvider(props: { enabled: boolean; children: ComponentChildren }) {
  const [feed, setFeed] = useState<MailboxFeed | null>(null);
  useEffect(() => {
    if (!props.enabled) return undefined;
    const f = new MailboxFeed();
    setFeed(f);
    void f.run();
    return () => f.stop();
  }, [props.enabled]);
  return <Context.Provider value={feed}>{props.children}</Context.Provider>;
}

// Calls onEvents for every batch of new mailbox events; returns the feed's status.
export function useMailbox(onEvents: (events: MailboxEvent[]) => void): FeedStatus {
  const feed = useContext(Context);
  const [status, setStatus] = useState<FeedStatus>(feed?.status ?? 'connecting');
  useEffect(() => {
    if (!feed) return undefined;
    setStatus(feed.status);
    return feed.subscribe({ events: onEvents, status: setStatus });
  }, [feed, onEvents]);
  return status;
}
