// The user's language as Preact state, so that a switch re-renders every screen.
import type { TFunction } from 'i18next';
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useMemo, useState } from 'preact/hooks';
import { changeLanguage } from '../i18n/runtime';
import { rememberLanguage, type Language } from '../i18n/languages';

interface I18n {
  lang: Language;
  t: TFunction;
  setLang: (lang: Language) => void;
}

const Context = createContext<I18n | null>(null);

export function I18nProvider(props: { lang: Language; t: TFunction; children: ComponentChildren }) {
  const [state, setState] = useState({ lang: props.lang, t: props.t });
  const setLang = useCallback((lang: Language) => {
    rememberLanguage(lang);
    void changeLanguage(lang).then((t) => setState({ lang, t }));
  }, []);
  const value = useMemo(() => ({ ...state, setLang }), [state, setLang]);
  return <Context.Provider value={value}>{props.children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
