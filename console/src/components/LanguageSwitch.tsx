// The language switch: each language named in itself; the choice is remembered (language only).
import { useId } from 'preact/hooks';
import { useI18n } from '../app/i18n';
import { languageName } from '../i18n/runtime';
import { isLanguage, LANGUAGES } from '../i18n/languages';

export function LanguageSwitch() {
  const { t, lang, setLang } = useI18n();
  const id = useId();
  return (
    <div class="language-switch">
      <label for={id}>{t('language.label')}</label>
      <select id={id} value={lang}
        onChange={(e) => {
          const value = e.currentTarget.value;
          if (isLanguage(value)) setLang(value);
        }}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {languageName(l)}
          </option>
        ))}
      </select>
    </div>
  );
}
