// An API error in words, in the user's language: the catalogue's errors.<code>, else a generic
// sentence naming the code (an unknown code is handled by its HTTP status, as the API asks).
import i18next, { type TFunction } from 'i18next';
import { ApiError } from './client';

export function errorText(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t('errors.network');
  if (error.status === 0) return t('errors.network');
  if (error.code === 'too_many_attempts' && error.retryAfter) {
    return t('errors.too_many_attempts_wait', { count: error.retryAfter });
  }
  const key = `errors.${error.code}`;
  if (i18next.exists(key)) return t(key);
  if (error.code.startsWith('http_')) return t('errors.http', { status: error.status });
  return t('errors.unknown', { code: error.code });
}
