// POST /v1/border-checks for one traveller from the MRZ (docs/border-check.md).
import { api } from './client';

export interface CheckContext { port?: string; flight?: string; location?: string }

export interface HubMrzProblem {
  code: string;
  field?: string;
  line?: number;
  column?: number;
  expected?: string;
  found?: string;
  message?: string;
}

export interface MrzDate { raw: string; date: string | null; year: number | null }
export interface MrzCountry { code: string; kind: string; name: string | null; iso_country: string | null }

export interface MrzView {
  valid: boolean;
  format?: string;
  fields?: {
    document_code?: string;
    issuing_state?: MrzCountry;
    primary_identifier?: string;
    secondary_identifier?: string;
    document_number?: string;
    nationality?: MrzCountry;
    birth_date?: MrzDate;
    sex?: string;
    expiry_date?: MrzDate;
  };
  problems: HubMrzProblem[];
}

export interface CheckedRecord {
  id?: string;
  database?: string;
  owner?: string;
  owner_country?: string;
  fields?: Record<string, unknown>;
  action?: string;
}

export interface RecordMatch { record?: CheckedRecord; action?: string; hit?: string; matched_by?: string; score?: number }

export interface NoticeMatch {
  control_number: string;
  kind: string;
  channel: string;
  requesting_country: string;
  matched_by: 'document' | 'name' | 'reference';
  score?: number;
  action?: string;
  record?: CheckedRecord;
  hit?: string;
  cited_by?: string;
}

export interface BorderCheckResult {
  databases: string[];
  mrz?: MrzView;
  document?: { match?: boolean; matches?: RecordMatch[]; checked?: false; reason?: string; error?: unknown };
  persons?: RecordMatch[];
  notices: NoticeMatch[];
  actions: { database: string; record: string; owner_country: string; action: string }[];
  alert: boolean;
}

export function borderCheck(mrz: string, context: CheckContext): Promise<BorderCheckResult> {
  const body: { mrz: string; context?: CheckContext } = { mrz };
  const ctx = Object.fromEntries(Object.entries(context).filter(([, v]) => v && v.trim() !== ''));
  if (Object.keys(ctx).length > 0) body.context = ctx;
  return api<BorderCheckResult>('POST', '/v1/border-checks', { body });
}

// The reader's view the hub sends beside a refused MRZ's error.
export function refusedMrz(body: unknown): MrzView | null {
  const mrz = (body as { mrz?: MrzView } | null)?.mrz;
  return mrz && Array.isArray(mrz.problems) ? mrz : null;
}
