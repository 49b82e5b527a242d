import { describe, expect, it } from 'vitest';
import { MAX_JITTER_MS, MAX_RETRIES, MAX_WAIT_MS, replaySafe, retryDelay } from './retry';

describe('retryDelay', () => {
  it('waits the Retry-After of a 503 for every request, capped', () => {
    expect(retryDelay({ status: 503, retryAfter: '1' }, 'GET', '/v1/hits', 0, 0)).toBe(1000);
    expect(retryDelay({ status: 503, retryAfter: '2' }, 'POST', '/v1/checks/SLTD', 0, 0)).toBe(2000);
    expect(retryDelay({ status: 503, retryAfter: '3600' }, 'GET', '/v1/hits', 0, 0)).toBe(MAX_WAIT_MS);
    expect(retryDelay({ status: 503, retryAfter: null }, 'GET', '/v1/hits', 0, 0)).toBe(1000);
  });

  it('adds the jitter given, up to its bound', () => {
    expect(retryDelay({ status: 503, retryAfter: '1' }, 'GET', '/v1/hits', 0, 100)).toBe(1100);
    expect(retryDelay({ status: 503, retryAfter: '1' }, 'GET', '/v1/hits', 0, 10_000)).toBe(1000 + MAX_JITTER_MS);
  });

  it('stops after MAX_RETRIES and never retries other answers', () => {
    expect(retryDelay({ status: 503, retryAfter: '1' }, 'GET', '/v1/hits', MAX_RETRIES, 0)).toBeNull();
    for (const status of [400, 401, 404, 409, 429, 500]) {
      expect(retryDelay({ status, retryAfter: '1' }, 'GET', '/v1/hits', 0, 0)).toBeNull();
    }
  });

  it('resends after no answer only what the hub replays, with a doubling backoff', () => {
    expect(retryDelay({ status: 0, retryAfter: null }, 'GET', '/v1/hits', 0, 0)).toBe(500);
    expect(retryDelay({ status: 0, retryAfter: null }, 'POST', '/v1/records/SLTD', 2, 0)).toBe(2000);
    expect(retryDelay({ status: 0, retryAfter: null }, 'POST', '/v1/border-checks', 0, 0)).toBeNull();
    expect(retryDelay({ status: 0, retryAfter: null }, 'POST', '/v1/auth/login', 0, 0)).toBeNull();
  });

  it('knows which writes are not replayed', () => {
    expect(replaySafe('GET', '/v1/checks/SLTD?id=1')).toBe(true);
    expect(replaySafe('PUT', '/v1/records/SLTD/rec_1')).toBe(true);
    for (const path of ['/v1/checks/SLTD', '/v1/search/NOMINAL', '/v1/screening', '/v1/attachments/uploads/u/complete']) {
      expect(replaySafe('POST', path)).toBe(false);
    }
  });
});
