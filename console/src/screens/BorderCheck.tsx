// The border check: the MRZ typed or pasted (readers type like a keyboard), every check digit
// verified as it comes with the failing field named and marked, then POST /v1/border-checks and
// the result. Nothing typed is lost on an error.
import type { JSX } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { borderCheck, refusedMrz, type BorderCheckResult, type CheckContext, type HubMrzProblem } from '../api/borderCheck';
import { ApiError } from '../api/client';
import { useI18n } from '../app/i18n';
import { ErrorBox } from '../components/ErrorBox';
import { Field } from '../components/Field';
import { MrzRuler } from '../components/MrzRuler';
import { problemText } from '../mrz/problemText';
import { readMrz, type MrzProblem } from '../mrz/read';
import { BorderResult } from './BorderResult';

export function BorderCheck() {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [context, setContext] = useState<CheckContext>({});
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [hubProblems, setHubProblems] = useState<HubMrzProblem[]>([]);
  const [result, setResult] = useState<BorderCheckResult | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const reading = useMemo(() => readMrz(text), [text]);

  const submit = async (e: JSX.TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    setTried(true);
    setError(null);
    setHubProblems([]);
    if (reading.problems.length > 0) {
      area.current?.focus();
      return;
    }
    setBusy(true);
    try {
      setResult(await borderCheck(reading.lines.join('\n'), context));
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setHubProblems(refusedMrz(err.body)?.problems ?? []);
      area.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    setResult(null);
    setText('');
    setTried(false);
    setTimeout(() => area.current?.focus(), 0);
  };

  if (result) return <BorderResult result={result} onAgain={again} />;

  const typing = reading.problems.filter((p) => isTyping(p, text));
  const problems = reading.problems.filter((p) => !isTyping(p, text));
  const invalid = problems.length > 0 || hubProblems.length > 0 || (tried && reading.problems.length > 0);
  const setCtx = (key: keyof CheckContext) => (e: JSX.TargetedEvent<HTMLInputElement>) =>
    setContext({ ...context, [key]: e.currentTarget.value });

  return (
    <div class="border-check">
      <h1>{t('border.title')}</h1>
      <form onSubmit={submit} noValidate>
        <Field label={t('border.mrz')} hint={t('border.mrzHint')} error={invalid ? t('border.fixFirst') : null}>
          {({ id, describedBy, invalid }) => (
            <textarea id={id} ref={area} name="mrz" class="mrz-input" dir="ltr" rows={3} cols={46}
              spellcheck={false} autoComplete="off" autoCapitalize="characters" value={text}
              aria-invalid={invalid} aria-describedby={[describedBy, 'mrz-status'].filter(Boolean).join(' ')}
              onInput={(e) => {
                // What the hub said was about the MRZ as it was sent.
                setText(e.currentTarget.value);
                setHubProblems([]);
                setError(null);
              }} />
          )}
        </Field>
        <div id="mrz-status" class="mrz-status" aria-live="polite">
          {reading.format && <p>{t('border.format', { format: reading.format })}</p>}
          {text.trim() !== '' && <ProblemList problems={tried ? reading.problems : problems} typing={tried ? [] : typing} />}
          {reading.format && reading.problems.length === 0 && <p class="ok-text">{t('border.allDigitsGood')}</p>}
        </div>
        {reading.lines.length > 0 && <MrzRuler lines={reading.lines} spans={reading.spans} problems={[...reading.problems, ...hubProblems]} />}
        <fieldset class="context">
          <legend>{t('border.context')}</legend>
          {(['port', 'flight', 'location'] as const).map((k) => (
            <Field key={k} label={t(`border.${k}`)}>
              {({ id }) => <input id={id} name={k} value={context[k] ?? ''} maxLength={200} onInput={setCtx(k)} />}
            </Field>
          ))}
        </fieldset>
        {error !== null && <ErrorBox error={error} />}
        {hubProblems.length > 0 && (
          <div class="error-box" data-testid="hub-problems">
            <p>{t('border.hubProblems')}</p>
            <ul>{hubProblems.map((p, i) => <li key={i} data-field={p.field}>{problemText(t, p)}</li>)}</ul>
          </div>
        )}
        <button type="submit" class="primary" disabled={busy}>{busy ? t('border.checking') : t('border.submit')}</button>
      </form>
    </div>
  );
}

// While the last line is still being typed, a short line or a missing line is progress, not
// an error.
function isTyping(p: MrzProblem, text: string): boolean {
  if (p.code === 'mrz_line_count') return Number(p.found) < 2;
  if (p.code !== 'mrz_line_length') return false;
  const lines = text.trim().split(/\r?\n/);
  return p.line === lines.length && Number(p.found) < Number(p.expected?.split(' ')[0] ?? 0);
}

function ProblemList({ problems, typing }: { problems: MrzProblem[]; typing: MrzProblem[] }) {
  const { t } = useI18n();
  return (
    <>
      {typing.map((p, i) => (
        <p key={`t${i}`} class="hint">
          {p.code === 'mrz_line_length' ? t('border.typing', { line: p.line, found: p.found, expected: p.expected }) : t('border.mrzHint')}
        </p>
      ))}
      {problems.length > 0 && (
        <ul class="mrz-problems" data-testid="mrz-problems">
          {problems.map((p, i) => <li key={i} data-field={p.field}>{problemText(t, p)}</li>)}
        </ul>
      )}
    </>
  );
}
