// End-to-end tests of the public notices page (issue 21, items 3 and 8) in Chromium: its own
// build (dist-public) served by a real `ncbnet demo` at /public, no sign-in, the public extracts
// API on the same origin. Run with the console's tests: npm run e2e.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { accessible, eventually, launch, newPage, screen, setLanguage, text as consoleText } from './browser.mjs';
import { login, request, startHub, upload } from './hub.mjs';

const DIST = new URL('../dist/', import.meta.url).pathname.replace(/\/$/, '');
const DIST_PUBLIC = new URL('../dist-public/', import.meta.url).pathname.replace(/\/$/, '');
const PUBLIC = Object.fromEntries(['en', 'fr', 'es', 'ar'].map((l) => [
  l, JSON.parse(readFileSync(new URL(`../src/public/locales/${l}.json`, import.meta.url), 'utf8')),
]));
const words = (lang, key) => key.split('.').reduce((o, k) => o?.[k], PUBLIC[lang]);
const YOUSSEF = 'يوسف حداد';

let hub;
let browser;

// A small RGB PNG (a face-coloured oval on grey), made here so that the test needs no file.
function portrait(width = 60, height = 75) {
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    out.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const inside = ((x - width / 2) / (width * 0.32)) ** 2 + ((y - height * 0.45) / (height * 0.33)) ** 2 < 1;
      row.set(inside ? [222, 184, 150] : [120, 130, 140], 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0)),
  ]);
}

// NCB Paris requests a Yellow Notice for a missing boy named in Arabic script, with consent to
// a public extract and a photograph; the GS approves it. As the notices screens would.
async function publishMissingBoy() {
  const fra = await login(hub.url, 'fra.admin');
  const draft = await request(hub.url, 'POST', '/v1/notices', {
    token: fra,
    body: {
      kind: 'yellow',
      public_consent: true,
      fields: {
        name: YOUSSEF, name_latin: 'Youssef Haddad', sex: 'M', date_of_birth: '2010-03-15',
        nationalities: ['FRA', 'DZA'], physical_description: '1.40 m, short black hair, brown eyes',
        circumstances: 'Did not come home from school.', date_of_disappearance: '2026-11-20',
        place_of_disappearance: 'Lyon, Part-Dieu',
      },
    },
  });
  assert.equal(draft.status, 201, draft.text);
  const { id } = draft.json();
  const image = await upload(hub.url, `/v1/notices/${id}/images`, portrait(), 'image/png', fra);
  assert.equal(image.status, 201, image.text);
  const submitted = await request(hub.url, 'POST', `/v1/notices/${id}/submit`, { token: fra, body: {} });
  assert.equal(submitted.status, 200, submitted.text);
  const gs = await login(hub.url, 'gs.admin');
  const approved = await request(hub.url, 'POST', `/v1/notices/${id}/review`, { token: gs, body: { decision: 'approve' } });
  assert.equal(approved.status, 200, approved.text);
  return id;
}

let youssefId;

before(async () => {
  hub = await startHub(DIST, { publicDir: DIST_PUBLIC });
  browser = await launch();
  youssefId = await publishMissingBoy();
});

after(async () => {
  await browser?.close();
  await hub?.stop();
});

function noProblems(page) {
  assert.deepEqual(page.problems, [], 'CSP violations or page errors');
}

// The page never signs in and never asks for anything but the public extracts.
function onlyPublicRequests(page) {
  const api = page.requests.filter((r) => r.includes(' /v1/'));
  assert.ok(api.length > 0);
  assert.deepEqual(api.filter((r) => !r.startsWith('GET /v1/public/notices')), []);
}

async function noSideways(page) {
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(widths[0] <= widths[1], `the page is ${widths[0]} px wide on a ${widths[1]}-px screen`);
}

async function photoShown(locator) {
  await locator.waitFor();
  await eventually(() => locator.evaluate((img) => img.complete && img.naturalWidth > 0));
}

// The page shows the answer to the search just sent: its heading and exactly these notices. Polled,
// because until the new answer arrives the page may still show the previous one.
async function resultsAre(page, heading, names) {
  const cards = page.locator('[data-testid=extract-card] h3');
  await eventually(async () => {
    const [h, shown] = await Promise.all([page.locator('#results-heading').textContent(), cards.allTextContents()]);
    const headed = typeof heading === 'string' ? h.includes(heading) : heading.test(h);
    return headed && JSON.stringify(shown) === JSON.stringify(names);
  });
  assert.deepEqual(await cards.allTextContents(), names);
}

async function openPublic(lang, { mobile = false, path = '/public/' } = {}) {
  const page = await newPage(browser, hub.url, { path, mobile });
  if (lang !== 'en') await setLanguage(page, lang);
  return page;
}

describe('public notices page', () => {
  test('on a 390-pixel phone in Arabic, a name in Arabic script finds the notice, its photo, its page', async () => {
    const page = await openPublic('ar', { mobile: true });
    assert.deepEqual(await page.evaluate(() => [document.documentElement.dir, document.documentElement.lang]), ['rtl', 'ar']);
    await page.locator('h1', { hasText: words('ar', 'search.title') }).waitFor();
    await page.locator('input[name=name]').fill('يوسف');
    await page.locator('form[role=search] button[type=submit]').click();
    await resultsAre(page, 'عُثر على نشرة واحدة', [YOUSSEF]);
    const card = page.locator('[data-testid=extract-card]', { hasText: YOUSSEF });
    assert.match(page.url(), /\/public\/\?name=%D9%8A%D9%88%D8%B3%D9%81$/);
    await photoShown(card.locator('img.photo'));
    assert.equal(await card.locator('img.photo').getAttribute('alt'), `صورة ${YOUSSEF}`);
    await noSideways(page);
    await screen(page, 'public-search-ar-390');

    await card.locator('h3 a').click();
    await page.waitForURL(`**/public/notices/${youssefId}`);
    const heading = page.locator('[data-testid=extract] h1');
    await heading.waitFor();
    assert.equal(await heading.textContent(), YOUSSEF);
    assert.equal(await page.locator('[data-field=place_of_disappearance] dd').textContent(), 'Lyon, Part-Dieu');
    assert.match(await page.locator('[data-field=nationalities] dd').textContent(), /فرنسا.*الجزائر/);
    await photoShown(page.locator('[data-testid=extract] img.photo'));
    await noSideways(page);
    await screen(page, 'public-extract-ar-390');
    onlyPublicRequests(page);
    noProblems(page);
    await page.context().close();
  });

  test('nationality, requesting country and age filter the results; a bad age is refused before sending', async () => {
    const page = await openPublic('en');
    // With no search: the most recent extracts, the missing boy and the demo's missing girl.
    await page.locator('[data-testid=extract-card]', { hasText: 'Chloé Lambert' }).waitFor();
    await page.locator('[data-testid=extract-card]', { hasText: YOUSSEF }).waitFor();

    await page.locator('select[name=nationality]').selectOption('DZA');
    await page.locator('form[role=search] button[type=submit]').click();
    await resultsAre(page, '1 notice found', [YOUSSEF]);

    await page.locator('select[name=nationality]').selectOption('FRA');
    await page.locator('select[name=requesting_country]').selectOption('FRA');
    await page.locator('input[name=age_min]').fill('13');
    await page.locator('input[name=age_max]').fill('13');
    await page.locator('form[role=search] button[type=submit]').click();
    await resultsAre(page, '1 notice found', ['Chloé Lambert']);
    assert.match(page.url(), /nationality=FRA&requesting_country=FRA&age_min=13&age_max=13/);

    await page.locator('select[name=requesting_country]').selectOption('DEU');
    await page.locator('form[role=search] button[type=submit]').click();
    await page.locator('[data-testid=results-status]', { hasText: words('en', 'search.none') }).waitFor();

    const asked = page.requests.length;
    await page.locator('input[name=age_max]').fill('ten');
    await page.locator('form[role=search] button[type=submit]').click();
    await page.locator('input[name=age_max][aria-invalid=true]').waitFor();
    await page.locator('.field-error', { hasText: words('en', 'problems.age_not_number') }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'age_max');
    assert.equal(page.requests.slice(asked).filter((r) => r.includes('/v1/')).length, 0, 'nothing sent');

    // The back button brings the previous search back, form and results.
    await page.goBack();
    await resultsAre(page, '1 notice found', ['Chloé Lambert']);
    assert.equal(await page.locator('select[name=requesting_country]').inputValue(), 'FRA');
    onlyPublicRequests(page);
    noProblems(page);
    await page.context().close();
  });

  test('an extract that is not public says so, without a login', async () => {
    const page = await openPublic('fr', { path: '/public/notices/ntc_0000000000000000000000000' });
    await page.locator('.error-box', { hasText: words('fr', 'errors.notice_not_found') }).waitFor();
    assert.equal(await page.locator('input[name=password]').count(), 0);
    await page.context().close();
  });

  for (const lang of ['en', 'fr', 'es', 'ar']) {
    test(`every public screen in ${lang}: no serious or critical axe violation, a screenshot`, async () => {
      const page = await openPublic(lang);
      await eventually(async () => (await page.title()) === words(lang, 'site.title'));
      await page.locator('[data-testid=extract-card]').first().waitFor();
      await screen(page, `public-recent-${lang}`);
      await page.locator('input[name=name]').fill('Lambert');
      await page.locator('form[role=search] button[type=submit]').click();
      await resultsAre(page, /1|نشرة واحدة/, ['Chloé Lambert']);
      await screen(page, `public-search-${lang}`);
      await page.locator('[data-testid=extract-card] h3 a').first().click();
      await page.locator('[data-testid=extract] h1', { hasText: 'Chloé Lambert' }).waitFor();
      await page.locator('[data-field=place_of_disappearance]').waitFor();
      await screen(page, `public-extract-${lang}`);
      noProblems(page);
      await page.context().close();
    });
  }

  test('the rate limit\'s 429 is said politely, with the wait, and the search works again after it', async () => {
    const page = await openPublic('en', { mobile: true });
    await page.locator('[data-testid=extract-card]').first().waitFor();
    await page.locator('input[name=name]').fill('chloe');
    // Someone else at the same address (here: this test) spends the address's budget, and
    // keeps spending it while the page searches.
    let draining = true;
    const drain = (async () => {
      while (draining) {
        await Promise.all(Array.from({ length: 5 }, () => request(hub.url, 'GET', '/v1/public/notices?limit=1')));
      }
    })();
    await eventually(async () => (await request(hub.url, 'GET', '/v1/public/notices?limit=1')).status === 429);
    await page.locator('form[role=search] button[type=submit]').click();
    const limited = page.locator('[data-testid=rate-limited]');
    await limited.waitFor();
    draining = false;
    await drain;
    const said = await limited.locator('p').textContent();
    assert.match(said, /^Many searches have come from your connection in a short time\. Please wait (a second|\d+ seconds) and try again\.$/);
    assert.equal(await page.locator('[data-testid=results-status]').getAttribute('role'), 'status', 'announced politely, not as an alert');
    assert.equal(await page.locator('[role=alert]').count(), 0);
    assert.equal(await page.locator('input[name=name]').inputValue(), 'chloe', 'what was typed is kept');
    await accessible(page, 'public rate limited');
    await screen(page, 'public-rate-limited-en-390');
    const retry = limited.locator('button');
    await eventually(async () => !(await retry.isDisabled()), 70_000);
    await retry.click();
    await page.locator('[data-testid=extract-card]', { hasText: 'Chloé Lambert' }).waitFor({ timeout: 70_000 });
    noProblems(page);
    await page.context().close();
  });
});

// A separate build: the public page's script holds none of the officers' console (its words,
// its sign-in), only the public extracts API.
test('the public build carries nothing of the officers\' console', () => {
  const index = readFileSync(join(DIST_PUBLIC, 'index.html'), 'utf8');
  const scripts = [...index.matchAll(/src="\/public\/(assets\/[\w.-]+\.js)"/g)].map((m) => m[1]);
  assert.ok(scripts.length > 0, 'index.html loads its script from /public/assets/');
  const js = scripts.map((s) => readFileSync(join(DIST_PUBLIC, s), 'utf8')).join('\n');
  assert.ok(js.includes('/v1/public/notices'));
  for (const absent of ['/v1/auth/login', '/v1/mailbox', consoleText('en', 'errors.mrz_unknown_country')]) {
    assert.ok(!js.includes(absent), `the public build contains ${absent}`);
  }
});
