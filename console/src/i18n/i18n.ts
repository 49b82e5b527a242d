// The console's message catalogues, set up in i18next (runtime.ts).
import type { TFunction } from 'i18next';
import ar from './locales/ar.json';
import en from './locales/en.json';
import es from './locales/es.json';
import fr from './locales/fr.json';
import type { Language } from './languages';
import { initI18nWith } from './runtime';

export { changeLanguage, languageName } from './runtime';

export const resources = { en, fr, es, ar } as const;

export function initI18n(lang: Language): Promise<TFunction> {
  return initI18nWith(lang, resources);
}
