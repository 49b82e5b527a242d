// The agency's messages, newest first (GET /v1/messages: received and sent), with new
// arrivals added live from the mailbox feed and announced to screen readers.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { isSent, listMessages } from '../api/messages';
import type { ListedMessage, MailboxEvent } from '../api/types';
import { useI18n } from '../app/i18n';
import { ErrorBox } from '../components/ErrorBox';
import { LiveStatus } from '../components/LiveStatus';
import { formatDateTime } from '../i18n/format';
import { useMailbox } from '../live/feed';

export function Inbox() {
  const { t } = useI18n();
  const [messages, setMessages] = useState<ListedMessage[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [arrived, setArrived] = useState(0);
  const [updated, setUpdated] = useState<Date | null>(null);

  useEffect(() => {
    listMessages({})
      .then((page) => {
        setMessages(page.messages);
        setNext(page.next_before);
        setUpdated(new Date());
      })
      .catch(setError);
  }, []);

  const onEvents = useCallback((events: MailboxEvent[]) => {
    if (!events.some((e) => e.kind === 'message')) return;
    listMessages({})
      .then((page) => {
        setMessages((old) => {
          const known = new Set((old ?? []).map((m) => m.id));
          const fresh = page.messages.filter((m) => !known.has(m.id));
          if (fresh.length > 0) setArrived((n) => n + fresh.filter((m) => !isSent(m)).length);
          return [...fresh, ...(old ?? [])];
        });
        setUpdated(new Date());
      })
      .catch(setError);
  }, []);
  const status = useMailbox(onEvents);

  const older = () => {
    if (!next) return;
    listMessages({ before: next })
      .then((page) => {
        setMessages((old) => [...(old ?? []), ...page.messages]);
        setNext(page.next_before);
      })
      .catch(setError);
  };

  return (
    <div class="inbox">
      <h1>{t('messages.title')}</h1>
      <LiveStatus status={status} updated={updated} />
      <p class="sr-only" role="status">{arrived > 0 ? t('messages.arrived', { count: arrived }) : ''}</p>
      {arrived > 0 && <p class="notice" aria-hidden="true">{t('messages.arrived', { count: arrived })}</p>}
      <ErrorBox error={error} />
      {messages === null && !error && <p>{t('app.loading')}</p>}
      {messages?.length === 0 && <p>{t('messages.empty')}</p>}
      {messages && messages.length > 0 && <MessageTable messages={messages} />}
      {next && <button type="button" onClick={older}>{t('messages.older')}</button>}
    </div>
  );
}

function MessageTable({ messages }: { messages: ListedMessage[] }) {
  const { t, lang } = useI18n();
  return (
    <table class="messages">
      <caption class="sr-only">{t('messages.listLabel')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('messages.state')}</th>
          <th scope="col">{t('messages.correspondent')}</th>
          <th scope="col">{t('messages.subject')}</th>
          <th scope="col">{t('messages.priority')}</th>
          <th scope="col">{t('messages.classification')}</th>
          <th scope="col">{t('messages.received')}</th>
        </tr>
      </thead>
      <tbody>
        {messages.map((m) => {
          const sent = isSent(m);
          const unread = !sent && m.state !== 'read';
          return (
            <tr key={m.id} class={unread ? 'unread' : undefined} data-testid="message-row">
              <td class="state">{sent ? t('messages.direction.out') : t(`messages.stateValue.${m.state ?? 'read'}`)}</td>
              <td>{sent ? m.recipients.join(', ') : m.sender_agency}</td>
              <td dir="auto"><a href={`/messages/${encodeURIComponent(m.id)}`}>{m.subject}</a></td>
              <td><span class={`badge priority-${m.priority}`}>{t(`priority.${m.priority}`)}</span></td>
              <td>{t(`classification.${m.classification}`)}</td>
              <td>{formatDateTime(m.accepted_at, lang)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
