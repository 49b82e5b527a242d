// The console's languages: INTERPOL's four working languages. Arabic is written right to left.
export const LANGUAGES = ['en', 'fr', 'es', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

const RTL: ReadonlySet<Language> = new Set(['ar']);
const STORAGE_KEY = 'ncbnet.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function direction(lang: Language): 'ltr' | 'rtl' {
  return RTL.has(lang) ? 'rtl' : 'ltr';
}

// The language remembered on this workstation (only the language: never a token), else the
// browser's first preferred language we have, else English.
export function initialLanguage(): Language {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage may be disabled by policy; the browser's preference still applies.
  }
  for (const tag of globalThis.navigator?.languages ?? []) {
    const base = tag.split('-')[0]?.toLowerCase();
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export function rememberLanguage(lang: Language): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered; the choice still holds until the page is reloaded.
  }
}
