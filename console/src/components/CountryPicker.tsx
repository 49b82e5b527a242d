// A country picker: the countries chosen so far, named in the user's language, each removable,
// and a list of every country (sorted by name as the language sorts) to add one. Keyboard only
// works: a native select and buttons.
import { useId, useMemo, useState } from 'preact/hooks';
import { useI18n } from '../app/i18n';
import { countryName, countryOptions } from '../i18n/countries';

interface Props {
  label: string;
  name: string;
  value: string[];
  onChange: (value: string[]) => void;
  hint?: string | undefined;
  error?: string | null | undefined;
}

export function CountryPicker({ label, name, value, onChange, hint, error }: Props) {
  const { t, lang } = useI18n();
  const id = useId();
  const [choice, setChoice] = useState('');
  const options = useMemo(() => countryOptions(lang), [lang]);
  const add = () => {
    if (choice && !value.includes(choice)) onChange([...value, choice]);
    setChoice('');
  };
  return (
    <fieldset class={error ? 'country-picker field-invalid' : 'country-picker'} data-testid={`countries-${name}`}
      aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{label}</legend>
      {hint && <p class="hint">{hint}</p>}
      {value.length > 0 && (
        <ul class="chosen">
          {value.map((code) => (
            <li key={code} data-code={code}>
              <span>{countryName(code, lang)}</span>
              <button type="button" class="link-button" onClick={() => onChange(value.filter((c) => c !== code))}
                aria-label={t('records.removeCountry', { country: countryName(code, lang) })}>
                {t('records.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="picker-add">
        <label class="sr-only" for={id}>{t('records.countryToAdd')}</label>
        <select id={id} name={`${name}-choice`} value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
          <option value="">{t('records.chooseCountry')}</option>
          {options.filter((o) => !value.includes(o.code)).map((o) => (
            <option key={o.code} value={o.code}>{o.name}</option>
          ))}
        </select>
        <button type="button" onClick={add} disabled={!choice}>{t('records.addCountry')}</button>
      </div>
      {error && <p class="field-error" id={`${id}-error`}>{error}</p>}
    </fieldset>
  );
}
