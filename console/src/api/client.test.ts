import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../i18n/i18n';
import { api, ApiError, hasToken, setSessionEndedHandler, setToken } from './client';
import { errorText } from './errors';

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return vi.fn(async (_url: string, _init?: RequestInit) =>
    new Response(body === null ? null : JSON.stringify(body), { status, headers }));
}

afterEach(() => {
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

  it('reports an unreachable hub as status 0, code network', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    await expect(api('GET', '/v1/me')).rejects.toMatchObject({ status: 0, code: 'network' });
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
