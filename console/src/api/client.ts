// The one way the console talks to the hub: fetch on the same origin, the bearer token from
// memory, errors turned into ApiError with the API's stable code.
//
// The token lives only in this module's variable: never in localStorage, sessionStorage or a
// cookie (docs/console.md, "Session"). A reload loses it, and the user signs in again.

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
  idempotent?: boolean; // send an Idempotency-Key (every write of the API takes one)
  idempotencyKey?: string; // send this Idempotency-Key (a retry of the same write)
}

export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  else if (options.idempotent) headers['Idempotency-Key'] = crypto.randomUUID();
  if (!path.startsWith('/v1/mailbox')) lastActivity = Date.now();
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    if (options.signal?.aborted) throw e;
    throw new ApiError(0, 'network', String(e));
  }
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
