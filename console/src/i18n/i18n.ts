// Message catalogues (i18next) and the document's language and direction.
import i18next, { type TFunction } from 'i18next';
import ar from './locales/ar.json';
import en from './locales/en.json';
import es from './locales/es.json';
import fr from './locales/fr.json';
import { direction, type Language } from './languages';

export const resources = { en, fr, es, ar } as const;

export async function initI18n(lang: Language): Promise<TFunction> {
  const t = await i18next.init({
    lng: lang,
    fallbackLng: 'en',
    resources: {
      en: { translation: en },
      fr: { translation: fr },
      es: { translation: es },
      ar: { translation: ar },
    },
    // Preact escapes every text it renders, and nothing is ever rendered as HTML.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  applyToDocument(lang);
  return t;
}

export async function changeLanguage(lang: Language): Promise<TFunction> {
  const t = await i18next.changeLanguage(lang);
  applyToDocument(lang);
  return t;
}

function applyToDocument(lang: Language): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = lang;
  document.documentElement.dir = direction(lang);
}

// The name of a language in that language ("Français"), for the language switch.
export function languageName(lang: Language): string {
  return i18next.getFixedT(lang)('language.name');
}
