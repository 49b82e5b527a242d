// A labelled form control with its hint and its error, wired for screen readers
// (aria-invalid, aria-describedby).
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

interface FieldProps {
  label: string;
  hint?: string | undefined;
  error?: string | null | undefined;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
}

export function Field({ label, hint, error, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint && <p class="hint" id={hintId ?? undefined}>{hint}</p>}
      {children({ id, describedBy, invalid: Boolean(error) })}
      {error && (
        <p class="field-error" id={errorId ?? undefined}>
          {error}
        </p>
      )}
    </div>
  );
}
