import { describe, expect, it } from 'vitest';
import { forecast } from './sessionClock';

const T0 = Date.parse('2026-12-07T06:00:00Z');
const session = { expires_at: '2026-12-07T14:00:00Z', idle_timeout_seconds: 1800, idle_expires_at: '2026-12-07T06:30:00Z' };
const min = 60_000;

describe('session forecast', () => {
  it('has nothing to say for a hub that does not report the session', () => {
    expect(forecast(undefined, T0, T0)).toBeNull();
    expect(forecast(null, T0, T0)).toBeNull();
  });

  it('forecasts the idle end from the last request, and warns two minutes before', () => {
    expect(forecast(session, T0 + 27 * min, T0)).toMatchObject({ warn: null, idleAt: new Date(T0 + 30 * min) });
    expect(forecast(session, T0 + 28 * min, T0)?.warn).toBe('idle');
    expect(forecast(session, T0 + 28 * min, T0 + 20 * min)?.warn).toBeNull();
  });

  it('warns ten minutes before the fixed expiry, when it comes before the idle end', () => {
    const late = Date.parse('2026-12-07T13:49:00Z');
    expect(forecast(session, late, late)?.warn).toBeNull();
    expect(forecast(session, late + 2 * min, late + 2 * min)?.warn).toBe('end');
  });
});
