// The public extracts API (docs/public-extracts.md) as the public page uses it: no token, no
// cookie, the same origin (the hub at /public, or a public web server that proxies /v1/public/
// to the hub). Errors carry the API's stable code, or http_<status> when a proxy answered
// without the API's body; a 429 carries Retry-After in seconds.

export interface PublicImage {
  seq: number;
  media_type: string;
}

export interface PublicExtract {
  id: string;
  url: string;
  control_number: string;
  kind: string;
  requesting_country: string;
  published: string;
  images?: PublicImage[];
  [field: string]: unknown;
}

export interface SearchAnswer {
  total: number;
  notices: PublicExtract[];
}

export class PublicError extends Error {
  constructor(
    readonly status: number, // 0: the server could not be reached
    readonly code: string,
    readonly retryAfter: number | null = null,
  ) {
    super(code);
    this.name = 'PublicError';
  }
}

async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      headers: { Accept: 'application/json' },
      credentials: 'omit',
      signal: signal ?? null,
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new PublicError(0, 'network');
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body as T;
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  const retry = Number(response.headers.get('Retry-After'));
  throw new PublicError(
    response.status,
    typeof code === 'string' ? code : response.status === 429 ? 'rate_limited' : `http_${response.status}`,
    retry > 0 ? Math.ceil(retry) : null,
  );
}

export function searchExtracts(query: string, signal?: AbortSignal): Promise<SearchAnswer> {
  return get<SearchAnswer>(`/v1/public/notices${query ? `?${query}` : ''}`, signal);
}

export function getExtract(id: string, signal?: AbortSignal): Promise<PublicExtract> {
  return get<PublicExtract>(`/v1/public/notices/${encodeURIComponent(id)}`, signal);
}

export function imageUrl(extract: PublicExtract, seq: number): string {
  return `/v1/public/notices/${encodeURIComponent(extract.id)}/images/${seq}`;
}
