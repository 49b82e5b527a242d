// GET /v1/hits: the hits the caller's agency is party to, newest first, by side.
import { api } from './client';

export type HitState = 'open' | 'confirmed' | 'not_same_person' | 'action_taken' | 'closed';

export interface Hit {
  id: string;
  record: { id: string; database: string; version: number };
  owner: { agency?: string; country?: string };
  checker: { agency?: string; user_name?: string; country?: string; terminal?: boolean };
  checked_at: string;
  matched: { kind: 'identifier' | 'name'; identifier?: string; value: string; score: number };
  context: { location?: string; port?: string; flight?: string; reason?: string; reference?: string };
  checker_side: { state: HitState; updated_at: string };
  owner_side: { state: HitState; updated_at: string };
}

export function listHits(side: 'checker' | 'owner', before?: string | null): Promise<{ hits: Hit[]; next_before?: string }> {
  const q = new URLSearchParams({ side, limit: '50' });
  if (before) q.set('before', before);
  return api('GET', `/v1/hits?${q}`);
}
