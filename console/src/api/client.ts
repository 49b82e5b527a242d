// The one way the console talks to the hub: fetch on the same origin, the bearer token from
// memory, errors turned into ApiError with the API's stable code; requests sent again by
// themselves while the hub is busy or unreachable (retry.ts).
//
// The token lives only in this module's variable: never in localStorage, sessionStorage or a
// cookie (docs/console.md, "Session"). A reload loses it, and the user signs in again.

import { isWrite, MAX_JITTER_MS, retryDelay } from './retry';

let token: string | null = null;
// When the user last made a request: the hub's idle timeout restarts on each one, except the
// mailbox long poll, which runs by itself (docs/openapi.yaml, session_idle).
let lastActivity = Date.now();
let onSessionEnded: ((code: string) => void) | null = null;

// Codes with which the hub says the token no longer works.
const SESSION_CODES = new Set([
  'missing_credentials', 'invalid_token', 'token_expired', 'token_revoked', 'session_idle',
]);

export class ApiError extends Error {
  constructor(
    readonly status: number, // 0: the hub could not be reached
    readonly code: string,
    message: string,
    readonly body: unknown = null,
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function setToken(value: string | null): void {
  token = value;
}

export function lastActivityAt(): number {
  return lastActivity;
}

export function hasToken(): boolean {
  return token !== null;
}

export function setSessionEndedHandler(handler: ((code: string) => void) | null): void {
  onSessionEnded = handler;
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  idempotencyKey?: string; // send this Idempotency-Key (the user's own retry of the same write)
  retry?: boolean; // false: no retries by itself (the mailbox feed reconnects on its own)
}

// Whether requests are waiting to be sent again because the hub is busy or unreachable: the
// Shell shows it (HubBusy), so that the user sees a calm "retrying" rather than an error.
const busyListeners = new Set<(busy: boolean) => void>();
let retrying = 0;

export function onHubBusy(listener: (busy: boolean) => void): () => void {
  busyListeners.add(listener);
  listener(retrying > 0);
  return () => busyListeners.delete(listener);
}

function setRetrying(delta: number): void {
  const before = retrying > 0;
  retrying += delta;
  if (before !== retrying > 0) busyListeners.forEach((l) => l(retrying > 0));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}

// Every write carries an Idempotency-Key, kept across the retries below (docs/openapi.yaml,
// "Retries"), so a write resent after a lost answer is done once.
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  else if (isWrite(method)) headers['Idempotency-Key'] = crypto.randomUUID();
  if (!path.startsWith('/v1/mailbox')) lastActivity = Date.now();
  const init: RequestInit = {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    signal: options.signal ?? null,
    credentials: 'omit',
    cache: 'no-store',
  };
  let waiting = false;
  try {
    for (let retries = 0; ; retries++) {
      let response: Response | null = null;
      let failure: unknown = null;
      try {
        response = await fetch(path, init);
      } catch (e) {
        if (options.signal?.aborted) throw e;
        failure = e;
      }
      if (response !== null && response.status !== 503) return await finish<T>(response);
      const wait = options.retry === false ? null : retryDelay(
        { status: response?.status ?? 0, retryAfter: response?.headers.get('Retry-After') ?? null },
        method, path, retries, Math.random() * MAX_JITTER_MS);
      if (wait === null) {
        if (response === null) throw new ApiError(0, 'network', String(failure));
        return await finish<T>(response);
      }
      if (!waiting) setRetrying(+1);
      waiting = true;
      await sleep(wait, options.signal);
    }
  } finally {
    if (waiting) setRetrying(-1);
  }
}

async function finish<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body as T;
  throw toApiError(response, body, token !== null);
}

function toApiError(response: Response, body: unknown, hadToken: boolean): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : `http_${response.status}`;
  const message = typeof error?.message === 'string' ? error.message : response.statusText;
  const retry = Number(response.headers.get('Retry-After'));
  const err = new ApiError(response.status, code, message, body, retry > 0 ? retry : null);
  if (hadToken && response.status === 401 && SESSION_CODES.has(code)) {
    token = null;
    onSessionEnded?.(code);
  }
  return err;
}
