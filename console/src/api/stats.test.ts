import { describe, expect, it } from 'vitest';
import { dailySeries, type Activity } from './stats';

describe('dailySeries', () => {
  it('lays every day of the period out, zero where the API left a day out', () => {
    const a: Activity = {
      days: 3,
      since: '2026-12-05',
      messages_received: [{ day: '2026-12-07', count: 16 }],
      messages_sent: [{ day: '2026-12-05', count: 2 }],
      checks: [],
      hits_by_database: { checker: {}, owner: {} },
    };
    expect(dailySeries(a)).toEqual({
      days: ['2026-12-05', '2026-12-06', '2026-12-07'],
      received: [0, 0, 16],
      sent: [2, 0, 0],
      checks: [0, 0, 0],
    });
  });
});
