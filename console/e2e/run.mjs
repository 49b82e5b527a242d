// End-to-end tests of the console in Chromium against a real `ncbnet demo` serving the built
// console (npm run build first). Run: npm run e2e (NCBNET_BIN, CHROMIUM_BIN to override).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  accessible, eventually, launch, navigate, newPage, screen, setLanguage, signIn, text,
} from './browser.mjs';
import { login, PASSWORD, request, sendMessage, startHub, totp } from './hub.mjs';

const DIST = new URL('../dist/', import.meta.url).pathname.replace(/\/$/, '');
const VOLKOV = ['P<RUSVOLKOV<<ALEKSANDR<SERGEEVICH<<<<<<<<<<<', '7542139861RUS8407122M3104150<<<<<<<<<<<<<<<4'];
// The same passport with the document number's check digit (line 2, column 10) mistyped.
const VOLKOV_TYPO = [VOLKOV[0], `${VOLKOV[1].slice(0, 9)}7${VOLKOV[1].slice(10)}`];
const SCRIPT_SUBJECT = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> Alert';

let hub;
let browser;

before(async () => {
  hub = await startHub(DIST);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await hub?.stop();
});

async function typeMrz(page, lines) {
  const area = page.locator('textarea[name=mrz]');
  await area.fill('');
  await area.focus();
  // A document reader types like a keyboard: characters, then Enter between the lines.
  await page.keyboard.type(lines.join('\n'), { delay: 2 });
}

// Presses Tab until the focused element matches selector (at most 40 times).
async function tabTo(page, selector) {
  for (let i = 0; i < 40; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

function noProblems(page) {
  assert.deepEqual(page.problems, [], 'CSP violations or page errors');
}

describe('console', () => {
  test('a wrong password is refused with the field marked, then the right one signs in', async () => {
    const page = await newPage(browser, hub.url);
    await signIn(page, 'fra.admin', 'not-the-password');
    const error = page.locator('.field-error').first();
    await error.waitFor();
    assert.equal(await error.textContent(), text('en', 'errors.invalid_credentials'));
    assert.equal(await page.locator('input[name=password]').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('input[name=user]').inputValue(), 'fra.admin', 'what was typed is kept');
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('form button[type=submit]').click();
    await page.locator('h1', { hasText: text('en', 'dashboard.title') }).waitFor();
    const menu = await page.locator('nav a').allTextContents();
    assert.deepEqual(menu, ['Dashboard', 'Messages', 'Write a message', 'Border check', 'Hits', 'Records']);
    noProblems(page);
    await page.context().close();
  });

  test('a user with a second factor is asked for the code; a wrong code marks the field', async () => {
    // gs.admin enrols TOTP through the API (as the enrolment screen, not built yet, will).
    const token = await login(hub.url, 'gs.admin');
    const enrol = await request(hub.url, 'POST', '/v1/auth/totp/enroll', { token });
    assert.equal(enrol.status, 200, enrol.text);
    const { secret } = enrol.json();
    const step = Math.floor(Date.now() / 30_000);
    const confirm = await request(hub.url, 'POST', '/v1/auth/totp/confirm', { token, body: { code: totp(secret, step) } });
    assert.equal(confirm.status, 204, confirm.text);

    const page = await newPage(browser, hub.url);
    assert.equal(await page.locator('input[name=totp]').count(), 0, 'no code field before the hub asks');
    await signIn(page, 'gs.admin', PASSWORD);
    const code = page.locator('input[name=totp]');
    await code.waitFor();
    assert.equal(await page.locator('.field-error').textContent(), text('en', 'errors.totp_required'));
    const valid = [-1, 0, 1, 2].map((d) => totp(secret, step + d));
    let wrong = 0;
    while (valid.includes(String(wrong).padStart(6, '0'))) wrong++;
    await code.fill(String(wrong).padStart(6, '0'));
    await page.locator('form button[type=submit]').click();
    await page.locator('.field-error', { hasText: text('en', 'errors.invalid_totp') }).waitFor();
    assert.equal(await code.getAttribute('aria-invalid'), 'true');
    // The next step's code: the confirmation used this one, and a code is never accepted twice.
    await code.fill(totp(secret, step + 1));
    await page.locator('form button[type=submit]').click();
    await page.locator('h1', { hasText: text('en', 'dashboard.title') }).waitFor();
    await page.context().close();
  });

  test('the token is kept in memory only: storage holds the language and nothing else', async () => {
    const page = await newPage(browser, hub.url);
    await setLanguage(page, 'fr');
    await signIn(page, 'fra.admin', PASSWORD);
    await page.locator('h1', { hasText: text('fr', 'dashboard.title') }).waitFor();
    const storage = await page.evaluate(() => ({
      local: Object.keys(localStorage), session: Object.keys(sessionStorage), cookie: document.cookie,
    }));
    assert.deepEqual(storage, { local: ['ncbnet.language'], session: [], cookie: '' });
    await page.reload();
    await page.locator('h1', { hasText: text('fr', 'login.title') }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr', 'the language is remembered');
    await page.context().close();
  });

  test('a message arrives live, and a <script> in its subject and body does not run', async () => {
    const page = await newPage(browser, hub.url);
    await signIn(page, 'fra.admin', PASSWORD);
    await page.locator('[data-testid=unread-total]').waitFor();
    await page.locator('.live-live').first().waitFor();
    const before = Number(await page.locator('[data-testid=unread-flash] dd').textContent());
    const token = await login(hub.url, 'deu.admin');
    sendMessage(hub, { token, from: 'ncb-deu', toCountry: 'FRA', subject: SCRIPT_SUBJECT,
      body: '<b>not bold</b><script>window.__xss=3</script>', priority: 'flash' });
    await eventually(async () => Number(await page.locator('[data-testid=unread-flash] dd').textContent()) === before + 1);

    await navigate(page, 'en', 'nav.messages');
    const link = page.locator('[data-testid=message-row] a', { hasText: '<script>' }).first();
    await link.waitFor();
    sendMessage(hub, { token, from: 'ncb-deu', toCountry: 'FRA', subject: 'Second arrival', body: 'x' });
    await page.locator('[data-testid=message-row] a', { hasText: 'Second arrival' }).waitFor();
    await page.locator('.notice', { hasText: 'new message' }).waitFor();

    await link.click();
    const subject = page.locator('[data-testid=message-subject]');
    await subject.waitFor();
    assert.equal(await subject.textContent(), SCRIPT_SUBJECT);
    assert.equal(await page.locator('[data-testid=message-body]').textContent(), '<b>not bold</b><script>window.__xss=3</script>');
    assert.equal(await page.locator('main script, main img, main b').count(), 0, 'no element made from API text');
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await page.locator('[data-testid=signature][data-state=valid]').waitFor();
    noProblems(page);
    await page.context().close();
  });

  test('a message composed and signed in the browser arrives live at the recipient, signature valid', async () => {
    const deu = await newPage(browser, hub.url);
    await signIn(deu, 'deu.admin', PASSWORD);
    await navigate(deu, 'en', 'nav.messages');
    await deu.locator('.live-live').first().waitFor();

    const fra = await newPage(browser, hub.url);
    const tokenSeen = fra.waitForResponse((r) => r.url().endsWith('/v1/auth/login') && r.status() === 200);
    await signIn(fra, 'fra.admin', PASSWORD);
    const { token } = await (await tokenSeen).json();
    await navigate(fra, 'en', 'nav.compose');
    await fra.locator('[data-testid=key-state][data-state=none]').waitFor();
    await fra.locator('input[name=keyfile]').setInputFiles(join(hub.dataDir, 'agency-keys', 'ncb-fra.key'));
    await fra.locator('[data-testid=key-state][data-state=registered]').waitFor();
    assert.match(await fra.locator('[data-testid=key-state]').textContent(), /ed25519:[0-9a-f]{32}/);

    // A subject left empty is refused before anything is sent, the field marked, the text kept.
    await fra.locator('input[name=countries]').fill('DEU');
    await fra.locator('[data-testid=country-names]', { hasText: 'Germany' }).waitFor();
    await fra.locator('textarea[name=body]').fill('Composed in the browser.\nSigned there too.');
    await fra.locator('.compose form button[type=submit]').click();
    await fra.locator('input[name=subject][aria-invalid=true]').waitFor();
    await fra.locator('.field-error', { hasText: 'subject is required' }).waitFor();
    assert.equal(await fra.locator('textarea[name=body]').inputValue(), 'Composed in the browser.\nSigned there too.');
    assert.ok(!fra.requests.includes('POST /v1/messages'), 'nothing sent');
    assert.ok(await fra.evaluate(() => Object.keys(sessionStorage).some((k) => k.startsWith('ncbnet.draft.'))), 'draft kept');
    await screen(fra, 'compose-error-en');

    // The session ends (revoked elsewhere): the draft survives the sign-in after it, and the
    // key stays imported on this workstation.
    assert.equal((await request(hub.url, 'POST', '/v1/auth/logout', { token })).status, 204);
    await fra.locator('nav a', { hasText: 'Dashboard' }).click({ timeout: 2000 }).catch(() => undefined);
    await fra.locator('.notice', { hasText: text('en', 'errors.token_revoked') }).waitFor();
    await signIn(fra, 'fra.admin', PASSWORD);
    await navigate(fra, 'en', 'nav.compose');
    await fra.locator('[data-testid=key-state][data-state=registered]').waitFor();
    assert.equal(await fra.locator('input[name=countries]').inputValue(), 'DEU');
    assert.equal(await fra.locator('textarea[name=body]').inputValue(), 'Composed in the browser.\nSigned there too.');

    await fra.locator('input[name=subject]').fill('Signed in the browser');
    await fra.locator('select[name=priority]').selectOption('urgent');
    await fra.locator('.compose form button[type=submit]').click();
    await fra.locator('[data-testid=message-subject]', { hasText: 'Signed in the browser' }).waitFor();
    await fra.locator('[data-testid=signature][data-state=valid]').waitFor();
    assert.equal(await fra.evaluate(() => Object.keys(sessionStorage).length), 0, 'draft cleared once sent');

    const row = deu.locator('[data-testid=message-row] a', { hasText: 'Signed in the browser' });
    await row.waitFor();
    await row.click();
    await deu.locator('[data-testid=signature][data-state=valid]').waitFor();
    await deu.locator('main', { hasText: 'fra.admin' }).waitFor();
    noProblems(fra);
    noProblems(deu);
    await fra.context().close();
    await deu.context().close();
  });

  test('a message altered on its way to the browser shows its signature invalid', async () => {
    const page = await newPage(browser, hub.url);
    // Whatever sits between the hub and the browser changes one word of the subject.
    await page.route((url) => /^\/v1\/messages\/msg_[^/]+$/.test(url.pathname), async (route) => {
      const response = await route.fetch();
      const message = await response.json();
      message.content.subject = `${message.content.subject} (altered)`;
      await route.fulfill({ response, json: message });
    });
    await signIn(page, 'fra.admin', PASSWORD);
    await navigate(page, 'en', 'nav.messages');
    await page.locator('[data-testid=message-row] a').first().click();
    const signature = page.locator('[data-testid=signature][data-state=invalid]');
    await signature.waitFor();
    assert.match(await signature.textContent(), /^SIGNATURE INVALID/);
    assert.equal(await signature.getAttribute('role'), 'alert');
    await page.context().close();
  });

  test('a session ended elsewhere sends the user back to sign-in, told why', async () => {
    const page = await newPage(browser, hub.url);
    const tokenSeen = page.waitForResponse((r) => r.url().endsWith('/v1/auth/login') && r.status() === 200);
    await signIn(page, 'deu.admin', PASSWORD);
    const { token } = await (await tokenSeen).json();
    await page.locator('.session-until').waitFor();
    const revoked = await request(hub.url, 'POST', '/v1/auth/logout', { token });
    assert.equal(revoked.status, 204, revoked.text);
    // The next request finds the token revoked: the mailbox feed's, or this click's if it
    // comes first (the feed may already have ended the session, and the menu be gone).
    await page.locator('nav a', { hasText: 'Messages' }).click({ timeout: 2000 }).catch(() => undefined);
    await page.locator('.notice', { hasText: text('en', 'errors.token_revoked') }).waitFor();
    assert.equal(await page.locator('input[name=password]').count(), 1);
    await page.context().close();
  });

  test('the dashboard charts the agency\'s activity, with the figures in a table', async () => {
    const page = await newPage(browser, hub.url);
    await signIn(page, 'fra.admin', PASSWORD);
    const chart = page.locator('[data-testid=chart-daily]');
    await chart.locator('canvas').waitFor();
    assert.equal(await chart.locator('canvas').getAttribute('aria-label'), text('en', 'dashboard.perDay'));
    await chart.locator('summary').click();
    const rows = chart.locator('tbody tr');
    assert.equal(await rows.count(), 14, 'one row per day, days without activity included');
    const today = (await rows.last().locator('td').allTextContents()).map(Number);
    const token = await login(hub.url, 'fra.admin');
    const activity = (await request(hub.url, 'GET', '/v1/stats/activity?days=14', { token })).json();
    const count = (series) => series.find((d) => d.day === new Date().toISOString().slice(0, 10))?.count ?? 0;
    assert.deepEqual(today, [count(activity.messages_received), count(activity.messages_sent), count(activity.checks)]);
    assert.ok(today[0] > 0, 'the demo messages were received today');
    await page.context().close();
  });

  test('a border officer sees border checks, not messages, and the console never asks for mail', async () => {
    const page = await newPage(browser, hub.url);
    await signIn(page, 'fra.border', PASSWORD);
    await page.locator('h1', { hasText: text('en', 'dashboard.title') }).waitFor();
    assert.deepEqual(await page.locator('nav a').allTextContents(), ['Dashboard', 'Border check', 'Hits']);
    assert.equal(await page.locator('[data-testid=unread-total]').count(), 0);
    assert.deepEqual(page.requests.filter((r) => /\/v1\/(mailbox|messages)/.test(r)), []);
    await page.context().close();
  });

  test('a border check: a wrong check digit is named and marked, then the right MRZ shows the match', async () => {
    const page = await newPage(browser, hub.url);
    await signIn(page, 'fra.border', PASSWORD);
    await navigate(page, 'en', 'nav.borderCheck');
    await typeMrz(page, VOLKOV_TYPO);
    const problem = page.locator('[data-testid=mrz-problems] li[data-field=document_number]');
    await problem.waitFor();
    assert.match(await problem.textContent(), /document number is 7, but the data gives 1/);
    assert.equal(await page.locator('.mrz-ruler [data-bad=document_number]').count(), 10);
    assert.equal(await page.locator('textarea[name=mrz]').getAttribute('aria-invalid'), 'true');
    await page.locator('form button[type=submit]').click();
    assert.ok(!page.requests.some((r) => r === 'POST /v1/border-checks'), 'an MRZ with a wrong digit is not sent');

    await typeMrz(page, VOLKOV);
    await page.locator('.ok-text').waitFor();
    assert.equal(await page.locator('.mrz-ruler [data-bad]').count(), 0);
    await page.locator('input[name=port]').fill('FRCDG');
    await page.locator('form button[type=submit]').click();
    await page.locator('[data-testid=alert]').waitFor();
    assert.equal(await page.locator('[data-testid=alert]').textContent(), `!${text('en', 'result.alert')}`);
    assert.ok(await page.locator('[data-testid=notice].notice-red').count() >= 1, 'a Red Notice is shown');
    assert.ok(await page.locator('#persons ~ [data-testid=match]').count() >= 1, 'the wanted person is shown');
    assert.ok(await page.locator('ol.actions li').count() >= 1, 'the owners\' actions are shown');
    // The check's hits, newest first, with the port the officer gave.
    await navigate(page, 'en', 'nav.hits');
    const hit = page.locator('[data-testid=hit-row]').first();
    await hit.waitFor();
    assert.match(await hit.textContent(), /FRCDG/);
    assert.match(await hit.textContent(), /Open/);
    noProblems(page);
    await page.context().close();
  });

  test('an MRZ the hub refuses (an OCR confusion in the name) is listed in words and its field marked', async () => {
    const page = await newPage(browser, hub.url);
    await signIn(page, 'fra.border', PASSWORD);
    await navigate(page, 'en', 'nav.borderCheck');
    // Every check digit right (the name is under none), but a zero stands for an O in the name:
    // the hub refuses it as a likely misread (docs/mrz.md, OCR confusions). An unknown country
    // such as ZZZ is only a warning since issue 19, so it no longer serves here.
    const lines = ['P<UTOERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
    await typeMrz(page, lines);
    await page.locator('.ok-text').waitFor();
    await page.locator('form button[type=submit]').click();
    const problem = page.locator('[data-testid=hub-problems] li[data-field=name]');
    await problem.waitFor();
    assert.equal(await problem.textContent(), `${text('en', 'errors.mrz_ocr_confusion')} (${text('en', 'border.field.name')})`);
    assert.equal(await page.locator('.error-box[role=alert]').textContent(), text('en', 'errors.mrz_ocr_confusion'));
    assert.ok(await page.locator('.mrz-ruler [data-bad=name]').count() > 0, 'the name is marked');
    assert.equal(await page.locator('.mrz-ruler .mrz-line').first().locator('span').nth(11).getAttribute('class'), 'mrz-bad mrz-bad-digit', 'and the zero itself');
    assert.equal(await page.locator('textarea[name=mrz]').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('textarea[name=mrz]').inputValue(), lines.join('\n'), 'what was typed is kept');
    await page.context().close();
  });

  test('a hit followed up on both sides: the checking officer, then the owner NCB', async () => {
    const border = await newPage(browser, hub.url);
    await signIn(border, 'fra.border', PASSWORD);
    await navigate(border, 'en', 'nav.borderCheck');
    await typeMrz(border, VOLKOV);
    await border.locator('form button[type=submit]').click();
    await border.locator('[data-testid=alert]').waitFor();
    await navigate(border, 'en', 'nav.hits');
    const row = border.locator('[data-testid=hit-row]', { hasText: 'NOMINAL' }).first();
    await row.locator('a').click();
    await border.locator('select[name=state]').selectOption('confirmed');
    await border.locator('textarea[name=note]').fill('Traveller held at booth 12.');
    await border.locator('form button[type=submit]').click();
    await border.locator('[data-testid=our-state]', { hasText: 'Confirmed' }).waitFor();
    const hitId = border.url().split('/').pop();
    await border.context().close();

    const owner = await newPage(browser, hub.url);
    await signIn(owner, 'deu.admin', PASSWORD);
    await navigate(owner, 'en', 'nav.hits');
    await owner.locator('input[name=side][value=owner]').check();
    await owner.locator(`[data-testid=hit-row] a[href="/hits/${hitId}"]`).click();
    await owner.locator('[data-testid=their-state]', { hasText: 'Confirmed' }).waitFor();
    assert.match(await owner.locator('ol.follow-ups').textContent(), /Traveller held at booth 12\./);
    await owner.locator('select[name=state]').selectOption('action_taken');
    await owner.locator('form button[type=submit]').click();
    await owner.locator('[data-testid=our-state]', { hasText: 'Action taken' }).waitFor();
    await accessible(owner, 'hit');
    await owner.context().close();
  });

  test('keyboard alone: sign in, open the border check, check a passport', async () => {
    const page = await newPage(browser, hub.url);
    await tabTo(page, 'input[name=user]');
    await page.keyboard.type('fra.border');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.locator('h1', { hasText: text('en', 'dashboard.title') }).waitFor();
    await tabTo(page, 'nav a[href="/border-check"]');
    await page.keyboard.press('Enter');
    await tabTo(page, 'textarea[name=mrz]');
    await page.keyboard.type(VOLKOV.join('\n'));
    await tabTo(page, 'form button[type=submit]');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=alert]').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus moves to the result');
    await page.context().close();
  });

  test('the Arabic console is right to left', async () => {
    const page = await newPage(browser, hub.url);
    await setLanguage(page, 'ar');
    const html = await page.evaluate(() => [document.documentElement.dir, document.documentElement.lang]);
    assert.deepEqual(html, ['rtl', 'ar']);
    await signIn(page, 'fra.admin', PASSWORD);
    await page.locator('h1', { hasText: text('ar', 'dashboard.title') }).waitFor();
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), 'rtl');
    await page.context().close();
  });

  for (const lang of ['en', 'fr', 'es', 'ar']) {
    test(`every screen in ${lang}: no serious or critical axe violation, a screenshot`, async () => {
      const page = await newPage(browser, hub.url);
      await setLanguage(page, lang);
      await screen(page, `login-${lang}`);
      // An unknown user, so that fra.admin's failures stay under the hub's lockout (5).
      await signIn(page, 'no.such.user', 'wrong-password');
      await page.locator('.field-error').first().waitFor();
      await screen(page, `login-error-${lang}`);
      await page.locator('input[name=user]').fill('fra.admin');
      await page.locator('input[name=password]').fill(PASSWORD);
      await page.locator('form button[type=submit]').click();
      await page.locator('[data-testid=unread-total]').waitFor();
      await page.locator('[data-testid=chart-daily] canvas').waitFor();
      await screen(page, `dashboard-${lang}`);
      await navigate(page, lang, 'nav.messages');
      await page.locator('[data-testid=message-row]').first().waitFor();
      await screen(page, `messages-${lang}`);
      await page.locator('[data-testid=message-row] a').first().click();
      await page.locator('[data-testid=message-body]').waitFor();
      await screen(page, `message-${lang}`);
      await navigate(page, lang, 'nav.compose');
      await page.locator('[data-testid=key-state][data-state=none]').waitFor();
      await page.locator('input[name=countries]').fill('DEU, ITA');
      await page.locator('[data-testid=country-names] li').nth(1).waitFor();
      await screen(page, `compose-${lang}`);
      await page.locator('.topbar button').click();
      await signIn(page, 'fra.border', PASSWORD);
      await navigate(page, lang, 'nav.borderCheck');
      await typeMrz(page, VOLKOV_TYPO);
      await page.locator('[data-testid=mrz-problems]').waitFor();
      await screen(page, `border-check-${lang}`);
      await typeMrz(page, VOLKOV);
      await page.locator('form button[type=submit]').click();
      await page.locator('[data-testid=alert]').waitFor();
      await screen(page, `border-result-${lang}`);
      await navigate(page, lang, 'nav.hits');
      await page.locator('[data-testid=hit-row]').first().waitFor();
      await screen(page, `hits-${lang}`);
      noProblems(page);
      await page.context().close();
    });
  }
});
