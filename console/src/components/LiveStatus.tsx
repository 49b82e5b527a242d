// Whether the screen is live (the mailbox long poll is connected), and when it last changed.
import { useI18n } from '../app/i18n';
import { formatTime } from '../i18n/format';
import type { FeedStatus } from '../live/mailbox';

export function LiveStatus({ status, updated }: { status: FeedStatus; updated: Date | null }) {
  const { t, lang } = useI18n();
  const text = status === 'live' ? t('live.live') : status === 'reconnecting' ? t('live.reconnecting') : t('live.connecting');
  return (
    <p class={`live-status live-${status}`} role="status">
      <span class="live-dot" aria-hidden="true" />
      {text}
      {updated && <span class="live-time"> · {t('live.updatedAt', { time: formatTime(updated, lang) })}</span>}
    </p>
  );
}
