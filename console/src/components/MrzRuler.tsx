// The MRZ as read, one cell per character, the fields with a problem marked (and their check
// digit cell outlined). Always left to right, whatever the page's direction.
import { useI18n } from '../app/i18n';
import type { MrzSpan } from '../mrz/read';

// A problem found by the console or by the hub (the same fields, docs/mrz.md).
export interface MarkedProblem { field?: string | undefined; line?: number | undefined; column?: number | undefined }

interface Props { lines: string[]; spans: MrzSpan[]; problems: MarkedProblem[] }

export function MrzRuler({ lines, spans, problems }: Props) {
  const { t } = useI18n();
  const bad = problems.filter((p) => p.field);
  const badSpans = spans.filter((s) => bad.some((p) => p.field === s.field));
  const fieldAt = (line: number, column: number) =>
    badSpans.find((s) => s.line === line && column >= s.column && column < s.column + s.length);
  const isDigit = (line: number, column: number) => bad.some((p) => p.line === line && p.column === column);
  return (
    <figure class="mrz-ruler">
      <figcaption class="hint">{t('border.ruler')}</figcaption>
      <div dir="ltr" aria-hidden="true" class="mrz-lines">
        {lines.map((line, i) => (
          <div key={i} class="mrz-line">
            {[...line].map((ch, c) => {
              const span = fieldAt(i + 1, c + 1);
              const digit = isDigit(i + 1, c + 1);
              const cls = [span ? 'mrz-bad' : '', digit ? 'mrz-bad-digit' : ''].join(' ').trim();
              return (
                <span key={c} class={cls || undefined} data-bad={span?.field}>
                  {ch}
                </span>
              );
            })}
          </div>
        ))}
      </div>
    </figure>
  );
}
