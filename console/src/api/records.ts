// The records API (docs/records.md): the catalogue, an NCB's own records, and their changes.
import { api } from './client';

export type FieldType =
  | 'text' | 'integer' | 'date' | 'partial_date' | 'country' | 'country_list' | 'enum' | 'text_list' | 'object_list';

export interface FieldSpec {
  name: string;
  type: FieldType;
  required?: boolean;
  max_length?: number;
  max_items?: number;
  min?: number;
  max?: number;
  values?: string[];
  fields?: FieldSpec[];
  description?: string;
}

export interface DatabaseSchema {
  code: string;
  title: string;
  review_years: number;
  managed?: boolean;
  fields: FieldSpec[];
  identifiers: { name: string; kind: string; fields: string[]; list?: string }[];
}

export interface Restrictions {
  visibility: 'all' | 'only' | 'except';
  countries: string[];
  frontline: boolean;
}

export type Fields = Record<string, unknown>;

export interface RecordInput {
  fields: Fields;
  restrictions?: Restrictions;
  action?: string;
  review_date?: string;
  external_id?: string;
}

export interface StoredRecord {
  id: string;
  database: string;
  owner: string;
  owner_country: string;
  version: number;
  status: 'active' | 'cancelled';
  restrictions: Restrictions;
  fields: Fields;
  action?: string;
  external_id?: string;
  created: string;
  updated: string;
  review_date: string;
  changed_by?: string;
  cancel_reason?: string;
  damaged?: string;
}

export interface BatchRejection {
  index: number;
  code: string;
  message: string;
}

export const MAX_BATCH = 1000;

export async function listDatabases(): Promise<DatabaseSchema[]> {
  return (await api<{ databases: DatabaseSchema[] }>('GET', '/v1/databases')).databases;
}

const path = (db: string, id?: string) =>
  `/v1/records/${encodeURIComponent(db)}${id ? `/${encodeURIComponent(id)}` : ''}`;

// Every record the caller's country owns in `db` (the export), page by page.
export async function listOwnRecords(db: string, onPage?: (count: number) => void): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  let after = 0;
  for (;;) {
    const page = await api<{ records: StoredRecord[]; next_after?: number }>('GET', `${path(db)}?after=${after}&limit=1000`);
    out.push(...page.records);
    onPage?.(out.length);
    if (page.next_after === undefined || page.records.length === 0) return out;
    after = page.next_after;
  }
}

export function getRecord(db: string, id: string): Promise<StoredRecord> {
  return api<StoredRecord>('GET', path(db, id));
}

export function createRecord(db: string, input: RecordInput): Promise<StoredRecord> {
  return api<StoredRecord>('POST', path(db), { body: input });
}

export function updateRecord(db: string, id: string, input: RecordInput & { version: number }): Promise<StoredRecord> {
  return api<StoredRecord>('PUT', path(db, id), { body: input });
}

export async function recordVersions(db: string, id: string): Promise<StoredRecord[]> {
  return (await api<{ versions: StoredRecord[] }>('GET', `${path(db, id)}/versions`)).versions;
}

export function cancelRecord(db: string, id: string, version: number, reason: string): Promise<StoredRecord> {
  return api<StoredRecord>('POST', `${path(db, id)}/cancel`, { body: { version, reason } });
}

export function reviewRecord(db: string, id: string, version: number, reviewDate?: string): Promise<StoredRecord> {
  const body = reviewDate ? { version, review_date: reviewDate } : { version };
  return api<StoredRecord>('POST', `${path(db, id)}/review`, { body });
}

// Up to MAX_BATCH records, all or none; dry_run validates without writing.
export function createBatch(db: string, records: RecordInput[], dryRun: boolean): Promise<unknown> {
  return api<unknown>('POST', `${path(db)}/batch`, { body: { records, dry_run: dryRun } });
}
