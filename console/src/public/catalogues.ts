// The public page's own words, in the four languages (kept apart from the console's: the public
// build carries nothing of the officers' console).
import ar from './locales/ar.json';
import en from './locales/en.json';
import es from './locales/es.json';
import fr from './locales/fr.json';

export const catalogues = { en, fr, es, ar } as const;
