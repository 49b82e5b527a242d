import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../i18n/i18n';
import { api, ApiError, hasToken, onHubBusy, setSessionEndedHandler, setToken } from './client';
import { errorText } from './errors';

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return vi.fn(async (_url: string, _init?: RequestInit) =>
    new Response(body === null ? null : JSON.stringify(body), { status, headers }));
}

// A fake hub that answers from a script, one entry per request: a status (with Retry-After on
// a 503), or 'drop' for a connection lost before any answer.
function scripted(...steps: (number | 'drop')[]) {
  return vi.fn(async (_url: string, _init?: RequestInit) => {
    const step = steps.shift() ?? 200;
    if (step === 'drop') throw new TypeError('Failed to fetch');
    if (step === 503) {
      return new Response(JSON.stringify({ error: { code: 'store_unavailable', message: 'x', request_id: 'r' } }),
        { status: 503, headers: { 'Retry-After': '1' } });
    }
    return new Response(JSON.stringify({ ok: step }), { status: step });
  });
}

// Runs `request` to its end, moving the fake clock over the waits between retries.
async function settled<T>(request: Promise<T>): Promise<T> {
  const outcome = request.then((v) => ({ v }), (e: unknown) => ({ e }));
  await vi.runAllTimersAsync();
  const r = await outcome;
  if ('e' in r) throw r.e;
  return r.v;
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  setToken(null);
  setSessionEndedHandler(null);
});

describe('api', () => {
  it('sends the bearer token from memory, JSON, and no cookie', async () => {
    const fetch = answer(200, { ok: 1 });
    vi.stubGlobal('fetch', fetch);
    setToken('tok_1');
    await api('POST', '/v1/x', { body: { a: 1 } });
    const init = fetch.mock.calls[0]?.[1];
    expect(init?.headers).toMatchObject({ Authorization: 'Bearer tok_1', 'Content-Type': 'application/json' });
    expect(init?.credentials).toBe('omit');
    expect(init?.body).toBe('{"a":1}');
  });

  it('turns the API error body into an ApiError with its stable code', async () => {
    vi.stubGlobal('fetch', answer(429, { error: { code: 'too_many_attempts', message: 'locked', request_id: 'r' } }, { 'Retry-After': '42' }));
    const e = await api('POST', '/v1/auth/login').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 429, code: 'too_many_attempts', retryAfter: 42 });
  });

  it('forgets the token and ends the session when the hub says it expired', async () => {
    vi.stubGlobal('fetch', answer(401, { error: { code: 'token_expired', message: 'x', request_id: 'r' } }));
    const ended = vi.fn();
    setSessionEndedHandler(ended);
    setToken('tok_2');
    await expect(api('GET', '/v1/me')).rejects.toMatchObject({ code: 'token_expired' });
    expect(hasToken()).toBe(false);
    expect(ended).toHaveBeenCalledWith('token_expired');
  });

  it('does not end the session for a wrong password at sign-in', async () => {
    vi.stubGlobal('fetch', answer(401, { error: { code: 'invalid_credentials', message: 'x', request_id: 'r' } }));
    const ended = vi.fn();
    setSessionEndedHandler(ended);
    await expect(api('POST', '/v1/auth/login')).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(ended).not.toHaveBeenCalled();
  });

  it('reports an unreachable hub as status 0, code network, once its retries run out', async () => {
    vi.useFakeTimers();
    const fetch = vi.fn(async () => { throw new TypeError('Failed to fetch'); });
    vi.stubGlobal('fetch', fetch);
    await expect(settled(api('GET', '/v1/me'))).rejects.toMatchObject({ status: 0, code: 'network' });
    expect(fetch).toHaveBeenCalledTimes(5);
  });
});

describe('api while the hub is busy', () => {
  it('retries a read on 503 after Retry-After and shows the hub busy meanwhile', async () => {
    vi.useFakeTimers();
    const fetch = scripted(503, 503, 200);
    vi.stubGlobal('fetch', fetch);
    const seen: boolean[] = [];
    const stop = onHubBusy((busy) => seen.push(busy));
    await expect(settled(api('GET', '/v1/hits'))).resolves.toEqual({ ok: 200 });
    stop();
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(seen).toEqual([false, true, false]);
  });

  it('sends every write with one Idempotency-Key, the same on each retry', async () => {
    vi.useFakeTimers();
    const fetch = scripted('drop', 503, 201);
    vi.stubGlobal('fetch', fetch);
    setToken('tok_1');
    await settled(api('POST', '/v1/records/SLTD', { body: { a: 1 } }));
    const keys = fetch.mock.calls.map((c) => (c[1]?.headers as Record<string, string>)['Idempotency-Key']);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);
    const other = scripted(201);
    vi.stubGlobal('fetch', other);
    await settled(api('PUT', '/v1/records/SLTD/rec_1', { body: { a: 2 } }));
    expect((other.mock.calls[0]?.[1]?.headers as Record<string, string>)['Idempotency-Key']).not.toBe(keys[0]);
  });

  it('gives the error once the retries run out', async () => {
    vi.useFakeTimers();
    const fetch = scripted(503, 503, 503, 503, 503, 200);
    vi.stubGlobal('fetch', fetch);
    await expect(settled(api('GET', '/v1/hits'))).rejects.toMatchObject({ status: 503, code: 'store_unavailable' });
    expect(fetch).toHaveBeenCalledTimes(5);
  });

  it('does not resend a check whose answer was lost, nor the mailbox feed', async () => {
    vi.useFakeTimers();
    const fetch = scripted('drop', 'drop');
    vi.stubGlobal('fetch', fetch);
    await expect(settled(api('POST', '/v1/border-checks', { body: {} }))).rejects.toMatchObject({ code: 'network' });
    await expect(settled(api('GET', '/v1/mailbox?after=0', { retry: false }))).rejects.toMatchObject({ code: 'network' });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('stops waiting when the request is aborted', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('fetch', scripted(503, 200));
    const abort = new AbortController();
    const request = api('GET', '/v1/hits', { signal: abort.signal });
    const outcome = request.then(() => 'done', () => 'aborted');
    await vi.advanceTimersByTimeAsync(10);
    abort.abort();
    expect(await outcome).toBe('aborted');
  });
});

describe('errorText', () => {
  beforeAll(async () => {
    await initI18n('fr');
  });

  it('says a known code in the user language', async () => {
    const t = await initI18n('fr');
    expect(errorText(t, new ApiError(401, 'invalid_credentials', ''))).toBe('Le nom d’utilisateur ou le mot de passe est incorrect.');
    expect(errorText(t, new ApiError(429, 'too_many_attempts', '', null, 2))).toBe('Trop de tentatives échouées. Réessayez dans 2 secondes.');
    expect(errorText(t, new ApiError(0, 'network', ''))).toBe(t('errors.network'));
  });

  it('names an unknown code, and an error without a body by its HTTP status', async () => {
    const t = await initI18n('en');
    expect(errorText(t, new ApiError(409, 'brand_new_code', ''))).toBe('The hub refused the request (brand_new_code).');
    expect(errorText(t, new ApiError(502, 'http_502', ''))).toBe('The hub answered with an error (HTTP 502).');
  });
});
