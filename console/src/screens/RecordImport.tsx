// Import (/records/:db/import): a CSV or JSON-lines file in the CLI's formats, read in the
// browser, then, as `ncbnet records import` does, two passes: every row validated by the hub in
// dry-run batches (nothing written), and only if no row is refused, the rows written batch by
// batch. A progress bar follows each pass; every refused row is listed by its line with the
// reason, and then nothing is imported.
import { useRoute } from 'preact-iso';
import { useMemo, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { errorText } from '../api/errors';
import { createBatch, MAX_BATCH, type BatchRejection } from '../api/records';
import { useI18n } from '../app/i18n';
import { useMe } from '../app/session';
import { ErrorBox } from '../components/ErrorBox';
import { formatNumber } from '../i18n/format';
import { useCatalogue, writable } from '../records/catalogue';
import { parseImport, type ImportRow, type RowProblem } from '../records/importFile';

type Phase = 'idle' | 'checking' | 'rejected' | 'writing' | 'done' | 'failed';

function rejectionsOf(e: unknown): BatchRejection[] | null {
  if (!(e instanceof ApiError) || e.code !== 'batch_rejected') return null;
  const rejected = (e.body as { rejected?: BatchRejection[] } | null)?.rejected;
  return Array.isArray(rejected) ? rejected : null;
}

export function RecordImport() {
  const { t, lang } = useI18n();
  const me = useMe();
  const { params } = useRoute();
  const { schemas } = useCatalogue();
  const schema = useMemo(() => (schemas ? writable(me, schemas).find((s) => s.code === params.db) : undefined), [schemas, me, params.db]);
  const [phase, setPhase] = useState<Phase>('idle');
  const [fileName, setFileName] = useState('');
  const [total, setTotal] = useState(0);
  const [done, setDone] = useState(0);
  const [problems, setProblems] = useState<RowProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [skipped, setSkipped] = useState(0);

  if (!schemas) return <p role="status">{t('app.loading')}</p>;
  if (!schema) return <p class="notice">{t('app.notAllowed')}</p>;

  const batches = (rows: ImportRow[]) => {
    const out: ImportRow[][] = [];
    for (let i = 0; i < rows.length; i += MAX_BATCH) out.push(rows.slice(i, i + MAX_BATCH));
    return out;
  };

  const run = async (file: File) => {
    setFileName(file.name);
    setProblems([]);
    setError(null);
    setDone(0);
    const parsed = parseImport(schema, file.name, await file.text());
    setSkipped(parsed.skippedCancelled);
    setTotal(parsed.rows.length + parsed.problems.length);
    const found: RowProblem[] = [...parsed.problems];
    setPhase('checking');
    // Pass 1: every row the file gave, validated by the hub; nothing is written.
    let checked = parsed.problems.length;
    for (const batch of batches(parsed.rows)) {
      try {
        await createBatch(schema.code, batch.map((r) => r.input), true);
      } catch (e) {
        const rejected = rejectionsOf(e);
        if (!rejected) {
          setError(e);
          setPhase('failed');
          return;
        }
        for (const r of rejected) {
          const row = batch[r.index];
          if (row) found.push({ line: row.line, code: r.code, message: r.message });
        }
      }
      checked += batch.length;
      setDone(checked);
    }
    if (found.length > 0 || parsed.rows.length === 0) {
      found.sort((a, b) => a.line - b.line);
      setProblems(found);
      setPhase('rejected');
      return;
    }
    // Pass 2: written batch by batch, each all or nothing.
    setPhase('writing');
    setDone(0);
    let written = 0;
    for (const batch of batches(parsed.rows)) {
      try {
        await createBatch(schema.code, batch.map((r) => r.input), false);
      } catch (e) {
        setError(e);
        setPhase('failed');
        return;
      }
      written += batch.length;
      setDone(written);
    }
    setPhase('done');
  };

  const busy = phase === 'checking' || phase === 'writing';
  return (
    <div class="record-import">
      <p><a href={`/records/${schema.code}`}>{t('records.backToList', { db: schema.code })}</a></p>
      <h1>{t('records.importTitle', { db: schema.code })}</h1>
      <p class="lead">{t('records.importLead')}</p>
      <ul class="hint">
        <li>{t('records.importCsv', { columns: schema.fields.map((f) => f.name).join(', ') })}</li>
        <li>{t('records.importJsonl')}</li>
      </ul>
      <div class="field">
        <label for="import-file">{t('records.importFile')}</label>
        <input id="import-file" name="import" type="file" accept=".csv,.jsonl,.ndjson,.json,text/csv,application/x-ndjson" disabled={busy}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void run(file);
          }} />
      </div>
      {phase !== 'idle' && (
        <section aria-labelledby="import-progress" class="card">
          <h2 id="import-progress">{fileName}</h2>
          {busy && (
            <>
              <label for="import-bar">{t(phase === 'checking' ? 'records.checking' : 'records.writing', { done: formatNumber(done, lang), total: formatNumber(total, lang) })}</label>
              <progress id="import-bar" max={Math.max(total, 1)} value={done} data-testid="import-progress" />
            </>
          )}
          <div role="status" data-testid="import-outcome">
            {phase === 'done' && <p class="ok-text">{t('records.imported', { count: total })}{skipped > 0 ? ` ${t('records.skippedCancelled', { n: skipped })}` : ''}</p>}
            {phase === 'rejected' && total === 0 && <p class="error-box">{t('records.emptyFile')}</p>}
            {phase === 'rejected' && total > 0 && (
              <p class="error-box">{t('records.importRejected', { n: problems.length, total })}</p>
            )}
            {phase === 'failed' && <p class="error-box">{t('records.importFailed', { n: done })}</p>}
          </div>
          <ErrorBox error={error} />
          {problems.length > 0 && (
            <table class="messages" data-testid="import-problems">
              <thead>
                <tr>
                  <th scope="col">{t('records.col.line')}</th>
                  <th scope="col">{t('records.col.reason')}</th>
                  <th scope="col">{t('records.col.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {problems.map((p, i) => (
                  <tr key={i} data-line={p.line}>
                    <td>{p.line}</td>
                    <td>{errorText(t, new ApiError(400, p.code, p.message))}</td>
                    <td><code>{p.code}</code>{' '}{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </div>
  );
}
