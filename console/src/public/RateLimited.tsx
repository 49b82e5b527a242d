// The rate limit's answer (429), said politely: how long to wait when the server said, and a
// "try again" button that becomes usable once that time has passed.
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../app/i18n';
import type { PublicError } from './api';
import { errorWords } from './present';

export function RateLimited({ error, onRetry }: { error: PublicError; onRetry: () => void }) {
  const { t } = useI18n();
  const [waiting, setWaiting] = useState(Boolean(error.retryAfter));
  useEffect(() => {
    if (!error.retryAfter) return undefined;
    const timer = setTimeout(() => setWaiting(false), error.retryAfter * 1000);
    return () => clearTimeout(timer);
  }, [error]);
  return (
    <div class="rate-limited" data-testid="rate-limited">
      <p>{errorWords(t, error)}</p>
      <button type="button" onClick={onRetry} disabled={waiting}>
        {t('errors.tryAgain')}
      </button>
    </div>
  );
}
