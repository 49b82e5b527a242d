// The frame of every screen once signed in: skip link, brand, menu (from the capabilities),
// language switch, who is signed in, sign out.
import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { mayBorderCheck, mayReadHits, mayUseMessages, mayWriteRecords } from '../app/capabilities';
import { useI18n } from '../app/i18n';
import { useMe, useSession } from '../app/session';
import { HubBusy } from './HubBusy';
import { LanguageSwitch } from './LanguageSwitch';
import { SessionClock } from './SessionClock';

export function Shell({ children }: { children: ComponentChildren }) {
  const { t } = useI18n();
  const me = useMe();
  const { logout } = useSession();
  const { path } = useLocation();
  const items = [{ href: '/', label: t('nav.dashboard') }];
  if (mayUseMessages(me)) items.push({ href: '/messages', label: t('nav.messages') }, { href: '/messages/new', label: t('nav.compose') });
  if (mayBorderCheck(me)) items.push({ href: '/border-check', label: t('nav.borderCheck') });
  if (mayReadHits(me)) items.push({ href: '/hits', label: t('nav.hits') });
  if (mayWriteRecords(me)) items.push({ href: '/records', label: t('nav.records') });
  const current = (href: string) =>
    href === '/' ? path === '/' : href === '/messages' ? path.startsWith(href) && path !== '/messages/new' : path.startsWith(href);

  return (
    <div class="shell">
      <a class="skip-link" href="#main">{t('app.skip')}</a>
      <header class="topbar">
        <p class="brand">{t('app.name')}</p>
        <nav aria-label={t('app.menu')}>
          <ul>
            {items.map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={current(item.href) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="topbar-end">
          <LanguageSwitch />
          <p class="whoami">
            {t('app.signedInAs', { user: me.user?.name ?? '', agency: me.agency.name })}
          </p>
          <button type="button" onClick={() => void logout()}>{t('nav.signOut')}</button>
        </div>
      </header>
      <SessionClock />
      <HubBusy />
      <main id="main" tabIndex={-1}>{children}</main>
    </div>
  );
}
