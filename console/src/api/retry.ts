// When the console sends a request again by itself (issue 17, item 5; docs/console.md,
// "When the hub is busy"), the same rules as the command line's (src/apps/ncbnet/client_retry.h):
//   - a 503 is retried for every request, since the hub committed nothing of it, after its
//     Retry-After (1 s when absent), capped at MAX_WAIT_MS;
//   - a request that got no answer at all (fetch failed) is retried only when a replay is safe:
//     reads, and writes the hub answers once per Idempotency-Key (every write the console sends
//     carries one);
//   - at most MAX_RETRIES times, with a little random jitter so that many consoles that failed
//     together do not come back together.

export const MAX_RETRIES = 4;
export const MAX_WAIT_MS = 5000;
export const FIRST_BACKOFF_MS = 500;
export const MAX_JITTER_MS = 250;

// One failed attempt: an answer with its status (and Retry-After), or none (status 0).
export interface Failure {
  status: number;
  retryAfter: string | null;
}

export function isWrite(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'DELETE' || method === 'PATCH';
}

// False for writes the hub may have done without keeping an answer to replay: a check or a
// search records hits, sign-in has no caller to keep a key for, and completing an attachment
// upload consumes it. A lost answer to these is shown, not resent.
export function replaySafe(method: string, path: string): boolean {
  if (!isWrite(method)) return true;
  const p = path.split('?')[0] ?? '';
  if (p.startsWith('/v1/checks/') || p === '/v1/border-checks' || p.startsWith('/v1/search/')
    || p === '/v1/screening' || p.startsWith('/v1/auth/')) return false;
  return !(p.startsWith('/v1/attachments/uploads/') && p.endsWith('/complete'));
}

function retryAfterMs(value: string | null): number {
  const seconds = value !== null && /^\d+$/.test(value.trim()) ? Number(value.trim()) : 1;
  return Math.min(seconds * 1000, MAX_WAIT_MS);
}

// The wait before attempt `retries + 1` of `method path`, or null to stop and show the error.
// `jitterMs` (0 to MAX_JITTER_MS) is added to the wait.
export function retryDelay(failure: Failure, method: string, path: string, retries: number, jitterMs: number): number | null {
  if (retries >= MAX_RETRIES) return null;
  const jitter = Math.min(Math.max(jitterMs, 0), MAX_JITTER_MS);
  if (failure.status === 503) return retryAfterMs(failure.retryAfter) + jitter;
  if (failure.status === 0 && replaySafe(method, path)) {
    return Math.min(FIRST_BACKOFF_MS * 2 ** retries, MAX_WAIT_MS) + jitter;
  }
  return null;
}
