// Browser helpers for the end-to-end tests: Debian's Chromium driven by playwright-core,
// axe-core on each screen, screenshots, and a record of CSP violations and page errors.
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

const catalogue = (lang) => JSON.parse(readFileSync(new URL(`../src/i18n/locales/${lang}.json`, import.meta.url), 'utf8'));
export const CATALOGUES = Object.fromEntries(['en', 'fr', 'es', 'ar'].map((l) => [l, catalogue(l)]));
export const text = (lang, key) => key.split('.').reduce((o, k) => o?.[k], CATALOGUES[lang]);

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

// `path`: where to open (the console's "/" by default); `mobile`: a 390-pixel-wide phone screen.
export async function newPage(browser, url, { path = '/', mobile = false } = {}) {
  const screenSize = mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 };
  const context = await browser.newContext({
    ignoreHTTPSErrors: true, viewport: screenSize, isMobile: mobile, hasTouch: mobile,
  });
  const page = await context.newPage();
  page.problems = [];
  page.requests = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) page.problems.push(m.text());
  });
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('request', (r) => page.requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
  await page.goto(`${url}${path}`);
  await page.locator('h1').first().waitFor();
  return page;
}

export async function setLanguage(page, lang) {
  await page.locator('.language-switch select').selectOption(lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

export async function signIn(page, user, password) {
  await page.locator('input[name=user]').fill(user);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form button[type=submit]').click();
}

export async function navigate(page, lang, key) {
  await page.locator('nav a', { hasText: text(lang, key) }).click();
}

// axe-core finds no serious or critical violation on the screen as it is now.
export async function accessible(page, name) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const detail = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
  if (bad.length > 0) throw new Error(`axe on ${name}:\n${detail.join('\n')}`);
}

export async function screen(page, name) {
  await accessible(page, name);
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

// Polls fn until it returns a truthy value (or throws its last error after timeout).
export async function eventually(fn, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = new Error('condition not met');
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw last;
    await new Promise((r) => setTimeout(r, 200));
  }
}
