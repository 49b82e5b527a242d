// Entry point: the language first (remembered or the browser's), then the console.
import { render } from 'preact';
import { App } from './App';
import { I18nProvider } from './app/i18n';
import { SessionProvider } from './app/session';
import { initI18n } from './i18n/i18n';
import { initialLanguage } from './i18n/languages';
import './styles/app.css';

const lang = initialLanguage();
void initI18n(lang).then((t) => {
  const root = document.getElementById('app');
  if (!root) return;
  render(
    <I18nProvider lang={lang} t={t}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </I18nProvider>,
    root,
  );
});
