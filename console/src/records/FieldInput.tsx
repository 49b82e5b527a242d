// One field of a record's form, drawn from its schema: a text box, a number, a date, a list of
// the enum's values, a country, a country picker, a list (one item per line), or rows of
// sub-fields for an object list. Problems are shown under the field, keyed by its path.
import { useI18n } from '../app/i18n';
import type { FieldSpec } from '../api/records';
import { CountryPicker } from '../components/CountryPicker';
import { Field } from '../components/Field';
import { countryOptions } from '../i18n/countries';
import { fieldHint, fieldLabel, valueLabel } from './labels';
import { emptyRow, type FieldValue, type ObjectRow } from './schemaForm';

interface Props {
  db: string; // the database's code, which names the field's words in the catalogues
  parent?: string; // the object list a sub-field belongs to
  spec: FieldSpec;
  path: string; // the field's key in the problems: "number", "identity_documents.0.number"
  value: FieldValue;
  onChange: (value: FieldValue) => void;
  problemText: (path: string) => string | null;
}

export function FieldInput({ db, parent, spec, path, value, onChange, problemText }: Props) {
  const { t, lang } = useI18n();
  const error = problemText(path);
  const name = fieldLabel(t, db, spec.name, parent);
  const label = spec.required ? `${name} (${t('records.required')})` : name;
  const hint = fieldHint(t, db, spec, parent);
  const str = typeof value === 'string' ? value : '';
  if (spec.type === 'country_list') {
    return <CountryPicker label={label} name={spec.name} hint={hint} error={error}
      value={Array.isArray(value) ? (value as string[]) : []} onChange={onChange} />;
  }
  if (spec.type === 'object_list') {
    const rows = (Array.isArray(value) ? value : []) as ObjectRow[];
    const setRow = (i: number, row: ObjectRow) => onChange(rows.map((r, j) => (j === i ? row : r)));
    return (
      <fieldset class="object-list" data-field={spec.name}>
        <legend>{label}</legend>
        {hint && <p class="hint">{hint}</p>}
        {rows.map((row, i) => (
          <div class="object-row" key={i}>
            {(spec.fields ?? []).map((sub) => (
              <FieldInput key={sub.name} db={db} parent={spec.name} spec={sub} path={`${path}.${i}.${sub.name}`} value={row[sub.name] ?? ''}
                onChange={(v) => setRow(i, { ...row, [sub.name]: String(v) })} problemText={problemText} />
            ))}
            <button type="button" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              {t('records.removeRow', { n: i + 1 })}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => onChange([...rows, emptyRow(spec)])}>{t('records.addRow')}</button>
        {error && <p class="field-error">{error}</p>}
      </fieldset>
    );
  }
  return (
    <Field label={label} hint={spec.type === 'text_list' ? [hint, t('records.onePerLine')].filter(Boolean).join(' ') : hint} error={error}>
      {({ id, describedBy, invalid }) => {
        const common = { id, name: path, 'aria-invalid': invalid, 'aria-describedby': describedBy, 'aria-required': spec.required ?? false };
        switch (spec.type) {
          case 'enum':
            return (
              <select {...common} value={str} onChange={(e) => onChange(e.currentTarget.value)}>
                <option value="">{t('records.none')}</option>
                {(spec.values ?? []).map((v) => <option key={v} value={v}>{valueLabel(t, db, spec.name, v, parent)}</option>)}
              </select>
            );
          case 'country':
            return (
              <select {...common} value={str} onChange={(e) => onChange(e.currentTarget.value)}>
                <option value="">{t('records.none')}</option>
                {countryOptions(lang).map((o) => <option key={o.code} value={o.code}>{o.name}</option>)}
              </select>
            );
          case 'date':
            return <input {...common} type="date" value={str} onInput={(e) => onChange(e.currentTarget.value)} />;
          case 'integer':
            return <input {...common} type="text" inputMode="numeric" value={str} onInput={(e) => onChange(e.currentTarget.value)} />;
          case 'text_list':
            return <textarea {...common} rows={3} value={str} dir="auto" onInput={(e) => onChange(e.currentTarget.value)} />;
          case 'partial_date':
            return <input {...common} type="text" placeholder={t('records.partialDateHint')} value={str} onInput={(e) => onChange(e.currentTarget.value)} />;
          default:
            return (spec.max_length ?? 200) > 300
              ? <textarea {...common} rows={4} value={str} dir="auto" onInput={(e) => onChange(e.currentTarget.value)} />
              : <input {...common} type="text" value={str} dir="auto" onInput={(e) => onChange(e.currentTarget.value)} />;
        }
      }}
    </Field>
  );
}
