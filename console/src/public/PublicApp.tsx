// The public notices page's frame: a header with the language switch, the search at the page's
// base path, one page per extract at <base>notices/<id>.
import { LocationProvider, Route, Router } from 'preact-iso';
import { useEffect } from 'preact/hooks';
import { useI18n } from '../app/i18n';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { Extract } from './Extract';
import { BASE } from './paths';
import { Search } from './Search';

export function PublicApp() {
  const { t, lang } = useI18n();
  useEffect(() => {
    document.title = t('site.title');
  }, [t, lang]);
  return (
    <LocationProvider scope={BASE}>
      <div class="public-page">
        <a class="skip-link" href="#content">
          {t('site.skip')}
        </a>
        <header class="public-header">
          <div>
            <p class="brand">
              <a href={BASE}>{t('site.title')}</a>
            </p>
            <p class="tagline">{t('site.tagline')}</p>
          </div>
          <LanguageSwitch />
        </header>
        <main id="content" tabIndex={-1} class="public-main">
          <Router>
            <Route path={`${BASE}notices/:id`} component={Extract} />
            <Route default component={Search} />
          </Router>
        </main>
        <footer class="public-footer">
          <p>{t('site.about')}</p>
        </footer>
      </div>
    </LocationProvider>
  );
}
