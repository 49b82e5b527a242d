// "The hub is busy, retrying…" while requests wait to be sent again (api/client.ts,
// onHubBusy): a calm status rather than an error. The error comes only if the retries run out.
// The live region is always there, so that screen readers announce the text when it appears.
import { useEffect, useState } from 'preact/hooks';
import { onHubBusy } from '../api/client';
import { useI18n } from '../app/i18n';

export function HubBusy() {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const stop = onHubBusy(setBusy);
    return () => void stop();
  }, []);
  return (
    <div role="status" class="hub-busy-region">
      {busy && <p class="notice hub-busy">{t('app.hubBusy')}</p>}
    </div>
  );
}
