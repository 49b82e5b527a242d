// The databases the signed-in agency may write (record.write:<DB>, managed ones excepted), from
// the catalogue GET /v1/databases, loaded once per session.
import { useEffect, useState } from 'preact/hooks';
import { listDatabases, type DatabaseSchema } from '../api/records';
import type { Me } from '../api/types';

let cached: Promise<DatabaseSchema[]> | null = null;

export function writable(me: Me, schemas: DatabaseSchema[]): DatabaseSchema[] {
  return schemas.filter((s) => !s.managed && me.capabilities.includes(`record.write:${s.code}`));
}

export function useCatalogue(): { schemas: DatabaseSchema[] | null; error: unknown } {
  const [schemas, setSchemas] = useState<DatabaseSchema[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    cached ??= listDatabases();
    cached.then(setSchemas).catch((e: unknown) => {
      cached = null;
      setError(e);
    });
  }, []);
  return { schemas, error };
}

// A record's one-line summary: its first few filled fields, each shown by `show` (enum values
// and countries in the user's language: labels.ts) or as stored.
export function summary(
  schema: DatabaseSchema | undefined, fields: Record<string, unknown>,
  show: (name: string, value: unknown) => string = (_, v) => String(v),
): string {
  const names = schema ? schema.fields.map((f) => f.name) : Object.keys(fields);
  return names
    .filter((n) => fields[n] !== undefined && typeof fields[n] !== 'object')
    .slice(0, 3)
    .map((n) => show(n, fields[n]))
    .join(' · ');
}

// A date N days from now, YYYY-MM-DD (UTC), to compare with review dates.
export function dayFromNow(days: number, now = new Date()): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
