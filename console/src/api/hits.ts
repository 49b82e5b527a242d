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
  follow_ups?: { seq: number; side: 'checker' | 'owner'; state: HitState; agency: string; user?: string; note?: string; at: string }[];
}

export function getHit(id: string): Promise<Hit> {
  return api('GET', `/v1/hits/${encodeURIComponent(id)}`);
}

export function addFollowUp(id: string, state: Exclude<HitState, 'open'>, note: string): Promise<Hit> {
  const body: { state: string; note?: string } = { state };
  if (note.trim() !== '') body.note = note;
  return api('POST', `/v1/hits/${encodeURIComponent(id)}/follow-ups`, { body });
}

// The caller's side, as the API decides it: the agency that checked is on the checking side
// even on its own record; the owner NCB on the owner side; anyone else party to the hit is the
// checking agency's NCB.
export function sideOf(hit: Hit, agencyId: string): 'checker' | 'owner' {
  if (hit.checker.agency === agencyId) return 'checker';
  return hit.owner.agency === agencyId ? 'owner' : 'checker';
}

export function listHits(side: 'checker' | 'owner', before?: string | null): Promise<{ hits: Hit[]; next_before?: string }> {
  const q = new URLSearchParams({ side, limit: '50' });
  if (before) q.set('before', before);
  return api('GET', `/v1/hits?${q}`);
}
