// GET /v1/stats/activity: the caller's agency's counts per UTC day (messages sent and received,
// checks, and hits per database on each side), for the dashboard's charts.
import { api } from './client';

export interface DayCount { day: string; count: number }

export interface Activity {
  days: number;
  since: string; // YYYY-MM-DD, the first day counted
  messages_sent: DayCount[];
  messages_received: DayCount[];
  checks: DayCount[];
  hits_by_database: { checker: Record<string, number>; owner: Record<string, number> };
}

export function getActivity(days: number, signal?: AbortSignal): Promise<Activity> {
  return api<Activity>('GET', `/v1/stats/activity?days=${days}`, { signal });
}

// Every day from `since` for `days` days (the API leaves out days with nothing), each series'
// count on it, zero where the API has none.
export function dailySeries(a: Activity): { days: string[]; received: number[]; sent: number[]; checks: number[] } {
  const start = Date.parse(`${a.since}T00:00:00Z`);
  const days = Array.from({ length: a.days }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
  const on = (series: DayCount[]) => {
    const byDay = new Map(series.map((d) => [d.day, d.count]));
    return days.map((d) => byDay.get(d) ?? 0);
  };
  return { days, received: on(a.messages_received), sent: on(a.messages_sent), checks: on(a.checks) };
}
