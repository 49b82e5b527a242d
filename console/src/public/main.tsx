// The public notices page (docs/console.md, "The public notices page"): its own build, its own
// catalogues, no sign-in. Served by the hub at /public in the demo, or by a public web server
// that proxies /v1/public/ to the hub.
import { render } from 'preact';
import { I18nProvider } from '../app/i18n';
import { initialLanguage } from '../i18n/languages';
import { initI18nWith } from '../i18n/runtime';
import { catalogues } from './catalogues';
import { PublicApp } from './PublicApp';
import '../styles/app.css';
import './public.css';

const lang = initialLanguage();
void initI18nWith(lang, catalogues).then((t) => {
  const root = document.getElementById('app');
  if (!root) return;
  render(
    <I18nProvider lang={lang} t={t}>
      <PublicApp />
    </I18nProvider>,
    root,
  );
});
