// End-to-end tests of the records screens (issue 21, item 1) in Chromium against a real
// `ncbnet demo`: a record made with a form generated from the catalogue, restricted to two
// countries, absent for a third; versions side by side; cancellation; an import refused whole
// for one bad line. Run with the console's tests: npm run e2e.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, launch, navigate, newPage, screen, setLanguage, signIn, text } from './browser.mjs';
import { login, PASSWORD, request, startHub } from './hub.mjs';

const DIST = new URL('../dist/', import.meta.url).pathname.replace(/\/$/, '');
let hub;
let browser;

before(async () => {
  hub = await startHub(DIST);
  browser = await launch();
  // A user of a third country, NCB Rome, made by the GS as the administration screens would.
  const gs = await login(hub.url, 'gs.admin');
  const made = await request(hub.url, 'POST', '/v1/agencies/ncb-ita/users', {
    token: gs, body: { name: 'ita.officer', display_name: 'Giulia Conti', password: PASSWORD },
  });
  assert.equal(made.status, 201, made.text);
});

after(async () => {
  await browser?.close();
  await hub?.stop();
});

// The SLTD schema's field names and enum values, which the screens must never show as such.
const SLTD_CODES = ['issuing_country', 'document_type', 'event_date', 'event_place', 'passport',
  'identity_card', 'residence_permit', 'travel_document', 'stolen', 'lost', 'revoked', 'invalidated', 'stolen_blank'];

function noProblems(page) {
  assert.deepEqual(page.problems, [], 'CSP violations or page errors');
}

async function openRecords(page, lang, db = 'SLTD') {
  await navigate(page, lang, 'nav.records');
  await page.locator('.db-tabs a', { hasText: db }).click();
  await page.locator('[data-testid=record-count]').waitFor();
}

async function pickCountry(page, picker, code) {
  await page.locator(`[data-testid=countries-${picker}] select`).selectOption(code);
  await page.locator(`[data-testid=countries-${picker}] .picker-add button`).click();
  await page.locator(`[data-testid=countries-${picker}] li[data-code=${code}]`).waitFor();
}

const check = async (user, number) => {
  const token = await login(hub.url, user);
  const r = await request(hub.url, 'GET', `/v1/checks/SLTD?issuing_country=FRA&number=${number}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.json().match;
};

describe('records', () => {
  let recordUrl;

  test('a record made with the catalogue\'s form, restricted to two countries, is absent for a third', async () => {
    const fra = await newPage(browser, hub.url);
    await signIn(fra, 'fra.admin', PASSWORD);
    await openRecords(fra, 'en');
    await fra.locator('a.button', { hasText: text('en', 'records.new') }).click();
    const form = fra.locator('[data-testid=record-form]');
    await form.waitFor();
    // The form is the catalogue's SLTD schema: its fields, in its order, required ones marked,
    // each labelled with its words from the message catalogue.
    const catalogue = (await request(hub.url, 'GET', '/v1/databases', { token: await login(hub.url, 'fra.admin') })).json();
    const sltd = catalogue.databases.find((d) => d.code === 'SLTD');
    for (const f of sltd.fields) {
      const words = text('en', `catalogue.SLTD.fields.${f.name}`);
      const label = f.required ? `${words} (${text('en', 'records.required')})` : words;
      await form.locator('label', { hasText: label }).first().waitFor();
    }
    await fra.locator('select[name=document_type]').selectOption('passport');
    await fra.locator('select[name=status]').selectOption('stolen');
    await fra.locator('input[name=visibility][value=only]').check();
    await pickCountry(fra, 'restrictions', 'DEU');
    await pickCountry(fra, 'restrictions', 'ESP');
    // Required fields left empty are marked, and nothing is sent.
    await form.locator('button[type=submit]').click();
    await fra.locator('input[name=number][aria-invalid=true]').waitFor();
    await fra.locator('select[name=issuing_country][aria-invalid=true]').waitFor();
    assert.ok(!fra.requests.includes('POST /v1/records/SLTD'), 'nothing sent');
    await screen(fra, 'records-new-error-en');

    await fra.locator('input[name=number]').fill('FE2026E2E1');
    await fra.locator('select[name=issuing_country]').selectOption('FRA');
    await fra.locator('input[name=event_place]').fill('Lyon');
    await form.locator('button[type=submit]').click();
    await fra.locator('[data-testid=record-visibility]', { hasText: 'Only: Germany, Spain' }).waitFor();
    recordUrl = new URL(fra.url()).pathname;
    assert.match(recordUrl, /^\/records\/SLTD\/rec_[a-z0-9]+$/);

    // Another browser context: a user of NCB Rome (neither Germany nor Spain) finds nothing.
    // The record's own address, opened by NCB Rome's officer: "no such record", as for an id
    // that does not exist.
    const ita = await newPage(browser, hub.url, { path: recordUrl });
    await signIn(ita, 'ita.officer', PASSWORD);
    await ita.locator('.error-box', { hasText: text('en', 'errors.record_not_found') }).waitFor();
    const deu = await newPage(browser, hub.url, { path: recordUrl });
    await signIn(deu, 'deu.admin', PASSWORD);
    // Germany, one of the two, reads it, and is offered no change: France owns it.
    await deu.locator('[data-testid=record-visibility]', { hasText: 'Only: Germany, Spain' }).waitFor();
    assert.equal(await deu.locator('a.button[href$="/edit"]').count(), 0);
    assert.equal(await check('ita.officer', 'FE2026E2E1'), false, 'absent for Italy');
    assert.equal(await check('deu.admin', 'FE2026E2E1'), true, 'Germany sees it');
    noProblems(fra);
    noProblems(ita);
    noProblems(deu);
    await deu.context().close();
    await ita.context().close();
    await fra.context().close();
  });

  test('a change shows beside the first version, then the record is cancelled after a confirmation', async () => {
    const fra = await newPage(browser, hub.url);
    await signIn(fra, 'fra.admin', PASSWORD);
    await openRecords(fra, 'en');
    await fra.locator('input[name=q]').fill('FE2026E2E1');
    await fra.locator(`[data-testid=record-row] a[href="${recordUrl}"]`).click();
    await fra.locator('a.button', { hasText: text('en', 'records.edit') }).click();
    await fra.locator('input[name=event_place]').fill('Lyon Part-Dieu');
    await fra.locator('[data-testid=record-form] button[type=submit]').click();
    const versions = fra.locator('[data-testid=versions]');
    await versions.locator('th', { hasText: 'version 2' }).waitFor();
    const changed = versions.locator('td[data-changed=true]');
    assert.equal(await changed.count(), 1, 'one cell changed');
    assert.match(await changed.textContent(), /^Lyon Part-Dieu/);
    await screen(fra, 'record-versions-en');

    await fra.locator('button', { hasText: text('en', 'records.cancel') }).click();
    const confirm = fra.locator('[data-testid=cancel-confirm]');
    await confirm.locator('button[type=submit]').click();
    await confirm.locator('textarea[name=reason][aria-invalid=true]').waitFor();
    assert.ok(!fra.requests.some((r) => r.endsWith('/cancel')), 'not cancelled without a reason');
    await confirm.locator('textarea[name=reason]').fill('Found by its holder.');
    await confirm.locator('button[type=submit]').click();
    await fra.locator('[data-testid=record-status]', { hasText: 'Cancelled' }).waitFor();
    assert.equal(await check('deu.admin', 'FE2026E2E1'), false, 'a cancelled record stops matching');
    noProblems(fra);
    await fra.context().close();
  });

  test('an import with one bad line imports nothing and shows that line; the corrected file imports', async () => {
    const csv = (status4) => [
      'number,issuing_country,document_type,status,external_id,restrict',
      'IMP00001,FRA,passport,stolen,FRA-IMP-1,all',
      'IMP00002,FRA,identity_card,lost,FRA-IMP-2,"only:DEU,ESP"',
      `IMP00003,FRA,passport,${status4},FRA-IMP-3,all`,
      'IMP00004,FRA,visa,stolen,FRA-IMP-4,except:ITA',
    ].join('\n');
    const fra = await newPage(browser, hub.url);
    await signIn(fra, 'fra.admin', PASSWORD);
    await openRecords(fra, 'en');
    const before = Number((await fra.locator('[data-testid=record-count]').textContent()).match(/of (\d+)/)[1]);
    await fra.locator('a.button', { hasText: text('en', 'records.import') }).click();
    const file = fra.locator('input[name=import]');
    await file.setInputFiles({ name: 'passports.csv', mimeType: 'text/csv', buffer: Buffer.from(csv('misplaced')) });
    const bad = fra.locator('[data-testid=import-problems] tr[data-line="4"]');
    await bad.waitFor();
    assert.equal(await fra.locator('[data-testid=import-problems] tbody tr').count(), 1, 'only the bad line is listed');
    assert.match(await bad.textContent(), /invalid_field.*status/);
    await fra.locator('[data-testid=import-outcome]', { hasText: 'Rows refused: 1 of 4. Nothing was imported.' }).waitFor();
    const token = await login(hub.url, 'fra.admin');
    const export1 = (await request(hub.url, 'GET', '/v1/records/SLTD?limit=10000', { token })).json();
    assert.equal(export1.records.filter((r) => (r.external_id ?? '').startsWith('FRA-IMP-')).length, 0, 'nothing imported');
    await screen(fra, 'records-import-rejected-en');

    await file.setInputFiles({ name: 'passports.csv', mimeType: 'text/csv', buffer: Buffer.from(csv('lost')) });
    await fra.locator('[data-testid=import-outcome]', { hasText: '4 records imported.' }).waitFor();
    const export2 = (await request(hub.url, 'GET', '/v1/records/SLTD?limit=10000', { token })).json();
    const imported = export2.records.filter((r) => (r.external_id ?? '').startsWith('FRA-IMP-'));
    assert.equal(imported.length, 4);
    assert.deepEqual(imported.find((r) => r.external_id === 'FRA-IMP-2').restrictions, { visibility: 'only', countries: ['DEU', 'ESP'], frontline: true });
    await fra.locator('a', { hasText: text('en', 'records.backToList').replace('{{db}}', 'SLTD') }).click();
    await eventually(async () => Number((await fra.locator('[data-testid=record-count]').textContent()).match(/of (\d+)/)?.[1]) === before + 4);
    noProblems(fra);
    await fra.context().close();
  });

  for (const lang of ['en', 'fr', 'es', 'ar']) {
    test(`every records screen in ${lang}: no serious or critical axe violation, a screenshot`, async () => {
      const page = await newPage(browser, hub.url);
      await setLanguage(page, lang);
      await signIn(page, 'fra.admin', PASSWORD);
      await page.locator('[data-testid=unread-total]').waitFor();
      await openRecords(page, lang);
      await page.locator('[data-testid=record-row]').first().waitFor();
      // No schema code is shown: not in the list's summaries, the record's fields or the form.
      const codes = new RegExp(`\\b(${[...SLTD_CODES].join('|')})\\b`);
      for (const summary of await page.locator('[data-testid=record-row] td:nth-child(2)').allTextContents()) {
        assert.doesNotMatch(summary, codes, `a raw code in the summary "${summary}"`);
      }
      await screen(page, `records-${lang}`);
      await page.locator('[data-testid=record-row] a').first().click();
      await page.locator('[data-testid=record-visibility]').waitFor();
      const shown = await page.locator('.record-view dl.facts').first().innerText();
      assert.doesNotMatch(shown, codes, `a raw code on the record's page: ${shown}`);
      assert.equal((await page.locator('[data-field=issuing_country] dt').textContent()).trim(), text(lang, 'catalogue.SLTD.fields.issuing_country'));
      await screen(page, `record-${lang}`);
      await page.locator('a.button[href$="/edit"]').click();
      await page.locator('[data-testid=record-form]').waitFor();
      assert.equal((await page.locator('select[name=document_type] option[value=passport]').textContent()).trim(),
        text(lang, 'catalogue.SLTD.values.document_type.passport'));
      const labels = (await page.locator('.record-fields label').allTextContents()).join(' | ');
      assert.doesNotMatch(labels, codes, `a raw code among the labels: ${labels}`);
      await page.locator('input[name=visibility][value=except]').check();
      await pickCountry(page, 'restrictions', 'ITA');
      await screen(page, `record-edit-${lang}`);
      await navigate(page, lang, 'nav.records');
      await page.locator('a.button[href$="/import"]').click();
      await page.locator('input[name=import]').setInputFiles({ name: 'x.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from('{"number":"1"}\nnot json\n') });
      await page.locator('[data-testid=import-problems]').waitFor();
      await screen(page, `records-import-${lang}`);
      noProblems(page);
      await page.context().close();
    });
  }
});
