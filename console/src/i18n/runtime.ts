// i18next set up with a set of catalogues, and the document's language and direction. Shared by
// the console (i18n.ts, its catalogues) and the public notices page (public/, its own), so that
// neither build carries the other's words.
import i18next, { type TFunction } from 'i18next';
import { direction, type Language } from './languages';

export type Catalogue = Record<string, unknown>;
export type Catalogues = Record<Language, Catalogue>;

export async function initI18nWith(lang: Language, catalogues: Catalogues): Promise<TFunction> {
  const t = await i18next.init({
    lng: lang,
    fallbackLng: 'en',
    resources: {
      en: { translation: catalogues.en },
      fr: { translation: catalogues.fr },
      es: { translation: catalogues.es },
      ar: { translation: catalogues.ar },
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
