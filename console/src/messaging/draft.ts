// The message being written, kept in sessionStorage (this tab only; never the token) so that it
// survives a session expiry and the sign-in after it. Cleared once sent, and on sign-out.
export interface Draft {
  countries: string;
  classification: string;
  priority: string;
  language: string;
  subject: string;
  body: string;
}

const PREFIX = 'ncbnet.draft.';
const keyFor = (agency: string, user: string) => `${PREFIX}${agency}.${user}`;

export function loadDraft(agency: string, user: string): Partial<Draft> | null {
  try {
    const raw = sessionStorage.getItem(keyFor(agency, user));
    return raw ? (JSON.parse(raw) as Partial<Draft>) : null;
  } catch {
    return null;
  }
}

export function saveDraft(agency: string, user: string, draft: Draft): void {
  try {
    if (draft.subject || draft.body || draft.countries) sessionStorage.setItem(keyFor(agency, user), JSON.stringify(draft));
    else sessionStorage.removeItem(keyFor(agency, user));
  } catch {
    // Storage may be disabled by policy; the draft then lives as long as the page.
  }
}

export function clearDraft(agency: string, user: string): void {
  try {
    sessionStorage.removeItem(keyFor(agency, user));
  } catch {
    // as above
  }
}

export function clearAllDrafts(): void {
  try {
    for (const k of Object.keys(sessionStorage)) if (k.startsWith(PREFIX)) sessionStorage.removeItem(k);
  } catch {
    // as above
  }
}
