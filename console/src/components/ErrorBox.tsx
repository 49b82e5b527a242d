// An error from the hub, in words, announced to screen readers.
import { errorText } from '../api/errors';
import { useI18n } from '../app/i18n';

export function ErrorBox({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <p class="error-box" role="alert">
      {errorText(t, error)}
    </p>
  );
}
