import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { MailboxEvent, MailboxPage } from '../api/types';
import { MailboxFeed, type FeedStatus } from './mailbox';

function event(cursor: number): MailboxEvent {
  return { cursor, kind: 'message', message_id: `msg_${cursor}` };
}

describe('MailboxFeed', () => {
  it('catches up without waiting, then long-polls from the last cursor', async () => {
    const paths: string[] = [];
    const answers: Array<MailboxPage | ApiError> = [
      { events: [event(1), event(2)], next_cursor: 2 },
      { events: [event(3)], next_cursor: 3 },
      new ApiError(401, 'token_expired', 'expired'),
    ];
    const feed = new MailboxFeed(async (path) => {
      paths.push(path);
      const a = answers.shift();
      if (!a || a instanceof ApiError) throw a ?? new Error('no more');
      return a;
    });
    const seen: number[] = [];
    const statuses: FeedStatus[] = [];
    feed.subscribe({ events: (es) => seen.push(...es.map((e) => e.cursor)), status: (s) => statuses.push(s) });
    await feed.run();
    expect(paths).toEqual([
      '/v1/mailbox?after=0&limit=500',
      '/v1/mailbox?after=2&limit=500&wait=25',
      '/v1/mailbox?after=3&limit=500&wait=25',
    ]);
    expect(seen).toEqual([1, 2, 3]);
    expect(statuses).toEqual(['live', 'stopped']);
  });

  it('says it is reconnecting after a network error and resumes from the same cursor', async () => {
    const paths: string[] = [];
    let calls = 0;
    const feed = new MailboxFeed(
      async (path) => {
        paths.push(path);
        calls++;
        if (calls === 1) return { events: [event(7)], next_cursor: 7 };
        if (calls === 2) throw new ApiError(0, 'network', 'down');
        if (calls === 3) return { events: [], next_cursor: 7 };
        throw new ApiError(403, 'missing_capability', 'no');
      },
      async () => {},
    );
    const statuses: FeedStatus[] = [];
    feed.subscribe({ status: (s) => statuses.push(s) });
    await feed.run();
    expect(paths[1]).toBe('/v1/mailbox?after=7&limit=500&wait=25');
    expect(paths[2]).toBe('/v1/mailbox?after=7&limit=500&wait=25');
    expect(statuses).toEqual(['live', 'reconnecting', 'live', 'stopped']);
  });
});
