// Reading an import file in the browser, in the CLI's formats (docs/records-cli.md, "Import"):
// CSV (RFC 4180, a header of field names and the record's own columns external_id, action,
// review_date, restrict, frontline; lists split at "|", object lists as JSON in the cell) or JSON
// lines (a record input, a bare fields object, or a line of `records export`). Every row keeps
// the line it starts on, so that each refusal, the file's or the hub's, is shown by its line.
import type { DatabaseSchema, FieldSpec, RecordInput, Restrictions } from '../api/records';

export interface ImportRow {
  line: number;
  input: RecordInput;
}

export interface RowProblem {
  line: number;
  code: string;
  message: string;
}

export interface ParsedFile {
  rows: ImportRow[];
  problems: RowProblem[];
  skippedCancelled: number;
}

const OWN_COLUMNS = new Set(['external_id', 'action', 'review_date', 'restrict', 'frontline']);
// Keys only the hub sets: dropped from a line of `records export`.
const HUB_KEYS = ['id', 'database', 'owner', 'owner_country', 'version', 'status', 'created', 'updated', 'changed_by', 'cancel_reason'];

export function formatOf(fileName: string): 'csv' | 'jsonl' {
  return /\.csv$/i.test(fileName) ? 'csv' : 'jsonl';
}

// RFC 4180 records with the line each starts on. Errors: an unterminated quote.
export function parseCsv(text: string): { records: { line: number; cells: string[] }[]; error?: RowProblem } {
  const src = text.replace(/^\uFEFF/, '');
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === '') {
      quoted = true;
      any = true;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
      any = true;
    } else if (c === '\n' || (c === '\r' && src[i + 1] === '\n')) {
      if (c === '\r') i++;
      cells.push(cell);
      if (any || cell !== '') records.push({ line: start, cells });
      cells = [];
      cell = '';
      any = false;
      line++;
      start = line;
    } else {
      cell += c;
      any = true;
    }
  }
  if (quoted) return { records, error: { line: start, code: 'invalid_csv', message: 'a quoted cell is not closed' } };
  if (any || cell !== '') {
    cells.push(cell);
    records.push({ line: start, cells });
  }
  return { records };
}

function parseRestrict(restrict: string, frontline: string): Restrictions | string {
  const r = restrict.trim();
  const f = frontline.trim().toLowerCase();
  if (f !== '' && f !== 'true' && f !== 'false') return 'frontline is true or false';
  const front = f !== 'false';
  if (r === '' || r === 'all') return { visibility: 'all', countries: [], frontline: front };
  const m = /^(only|except):([A-Za-z]{3}(?:,[A-Za-z]{3})*)$/.exec(r.replace(/\s+/g, ''));
  if (!m) return 'restrict is all, only:DEU,ESP or except:ITA';
  return { visibility: m[1] as 'only' | 'except', countries: (m[2] ?? '').split(',').map((c) => c.toUpperCase()), frontline: front };
}

function cellValue(spec: FieldSpec | undefined, cell: string): unknown {
  if (!spec) return cell;
  switch (spec.type) {
    case 'integer':
      return /^-?\d+$/.test(cell.trim()) ? Number(cell.trim()) : cell;
    case 'text_list':
    case 'country_list':
      return cell.split('|').map((s) => s.trim()).filter(Boolean);
    case 'object_list':
      return JSON.parse(cell) as unknown;
    default:
      return cell;
  }
}

export function rowsFromCsv(schema: DatabaseSchema, text: string): ParsedFile {
  const { records, error } = parseCsv(text);
  const problems: RowProblem[] = error ? [error] : [];
  const rows: ImportRow[] = [];
  const [header, ...data] = records;
  if (!header) return { rows, problems: [...problems, { line: 1, code: 'invalid_csv', message: 'no header row' }], skippedCancelled: 0 };
  const names = header.cells.map((c) => c.trim());
  const specs = new Map(schema.fields.map((f) => [f.name, f]));
  for (const rec of data) {
    if (rec.cells.length !== names.length) {
      problems.push({ line: rec.line, code: 'invalid_csv', message: `${rec.cells.length} cells; the header has ${names.length}` });
      continue;
    }
    const fields: Record<string, unknown> = {};
    const own: Record<string, string> = {};
    let bad: RowProblem | null = null;
    names.forEach((name, i) => {
      const cell = rec.cells[i] ?? '';
      if (OWN_COLUMNS.has(name)) own[name] = cell;
      else if (cell.trim() !== '' && !bad) {
        try {
          fields[name] = cellValue(specs.get(name), cell);
        } catch {
          bad = { line: rec.line, code: 'invalid_json', message: `${name}: not JSON` };
        }
      }
    });
    const restrictions = parseRestrict(own.restrict ?? '', own.frontline ?? '');
    if (!bad && typeof restrictions === 'string') bad = { line: rec.line, code: 'invalid_restrictions', message: restrictions };
    if (bad) {
      problems.push(bad);
      continue;
    }
    const input: RecordInput = { fields, restrictions: restrictions as Restrictions };
    if (own.external_id?.trim()) input.external_id = own.external_id.trim();
    if (own.action?.trim()) input.action = own.action.trim();
    if (own.review_date?.trim()) input.review_date = own.review_date.trim();
    rows.push({ line: rec.line, input });
  }
  return finish(rows, problems, 0);
}

export function rowsFromJsonLines(text: string): ParsedFile {
  const rows: ImportRow[] = [];
  const problems: RowProblem[] = [];
  let skippedCancelled = 0;
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      problems.push({ line, code: 'invalid_json', message: 'not a JSON object' });
      return;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ line, code: 'invalid_json', message: 'not a JSON object' });
      return;
    }
    const obj = { ...(value as Record<string, unknown>) };
    if (!('fields' in obj)) {
      rows.push({ line, input: { fields: obj } });
      return;
    }
    if (obj.status === 'cancelled') {
      skippedCancelled++;
      return;
    }
    for (const key of HUB_KEYS) delete obj[key];
    if (obj.review_date === '') delete obj.review_date;
    rows.push({ line, input: obj as unknown as RecordInput });
  });
  return finish(rows, problems, skippedCancelled);
}

// An external_id given twice in the file is refused on its second line.
function finish(rows: ImportRow[], problems: RowProblem[], skippedCancelled: number): ParsedFile {
  const seen = new Map<string, number>();
  const kept: ImportRow[] = [];
  for (const row of rows) {
    const ext = row.input.external_id;
    const first = ext ? seen.get(ext) : undefined;
    if (ext && first !== undefined) {
      problems.push({ line: row.line, code: 'duplicate_external_id', message: `external_id also on line ${first}` });
      continue;
    }
    if (ext) seen.set(ext, row.line);
    kept.push(row);
  }
  problems.sort((a, b) => a.line - b.line);
  return { rows: kept, problems, skippedCancelled };
}

export function parseImport(schema: DatabaseSchema, fileName: string, text: string): ParsedFile {
  return formatOf(fileName) === 'csv' ? rowsFromCsv(schema, text) : rowsFromJsonLines(text);
}

// The export as JSON lines, one record a line as the API shows it (as `records export`).
export function toJsonLines(records: unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
}
