// When the session will end, and whether to warn: at the fixed expiry (8 hours after sign-in
// by default) or after the idle timeout (30 minutes without a request by default), whichever
// comes first. The hub decides; this only forecasts from what /v1/me said and from the time of
// the user's last request, so the warning comes before the hub refuses.
import type { Me } from '../api/types';

export const END_WARNING_MS = 10 * 60_000;
export const IDLE_WARNING_MS = 2 * 60_000;

export interface SessionForecast {
  endsAt: Date;
  idleAt: Date | null;
  warn: 'end' | 'idle' | null;
}

export function forecast(session: Me['session'], now: number, lastActivity: number): SessionForecast | null {
  if (!session) return null;
  const endsAt = Date.parse(session.expires_at);
  if (Number.isNaN(endsAt)) return null;
  const idle = session.idle_timeout_seconds > 0 ? lastActivity + session.idle_timeout_seconds * 1000 : null;
  let warn: SessionForecast['warn'] = null;
  if (idle !== null && idle < endsAt && idle - now <= IDLE_WARNING_MS) warn = 'idle';
  else if (endsAt - now <= END_WARNING_MS) warn = 'end';
  return { endsAt: new Date(endsAt), idleAt: idle === null ? null : new Date(idle), warn };
}
