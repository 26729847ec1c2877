// tests/console/console_transparency.mjs URL OUTDIR - the transparency page
// as the legal reviewer "lee" (the history is made by
// it_console_transparency.sh): the period defaults to the current
// half-year; the headline counts 11 content actions; PK's one restriction
// is the band "1-9", never 1; the HTML report is embedded; the orders CSV
// downloads with the PK order in it; a period that is not one is refused
// with the API's message; after lee removes post-11 in the console, a
// reload counts 12. Admin-only Audit stays hidden from a legal reviewer.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { launch, check, failed, signIn } from '../browser/browser.mjs';

const [base, outdir] = process.argv.slice(2);
const browser = await launch();
const shot = (page, name) => page.screenshot({ path: join(outdir, `${name}.png`), fullPage: true });
const now = new Date();
const half = `${now.getUTCFullYear()}H${now.getUTCMonth() < 6 ? 1 : 2}`;
const figure = (page, key) => page.locator(`[data-figure="${key}"]`).textContent();
let page;
try {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 40[0-3]/.test(m.text())) errors.push(m.text()); });
  await signIn(page, base, 'lee', 'legal-pass-0123456789');
  check(await page.getByRole('link', { name: 'Audit' }).isHidden(), 'a legal reviewer does not see Audit');

  await page.getByRole('link', { name: 'Transparency' }).click();
  await page.locator('#headline').waitFor();
  check(await page.getByLabel(/^Period/).inputValue() === half, `the period defaults to ${half}`);
  const before = await figure(page, 'content_actions');
  check(before === '11', `11 content actions (${before})`);
  check(await figure(page, 'legal_requests') === '1-9', 'one legal request is shown as the band 1-9');
  check(await figure(page, 'requests_with_action') === '–', 'a share over one request is suppressed');
  const pk = await page.locator('#by-country tr', { hasText: 'PK' }).locator('td').nth(1).textContent();
  check(pk === '1-9', `PK's restriction is banded: ${pk}`);
  const frame = page.frameLocator('#report-html');
  await frame.locator('body').waitFor();
  const framed = await frame.locator('body').textContent();
  check(framed.includes(half), 'the HTML report of the period is embedded');
  await shot(page, 'transparency');

  const [download] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('link', { name: 'Register of orders (CSV)' }).click()]);
  check(download.suggestedFilename() === `arbiter-${half}-orders.csv`, `CSV saved as ${download.suggestedFilename()}`);
  const csv = readFileSync(await download.path(), 'utf8');
  check(csv.startsWith('id,received,country') && /Lahore High Court/.test(csv) && /,PK,/.test(csv),
        'the orders CSV lists the PK court order');

  await page.getByLabel(/^Period/).fill('last year');
  await page.getByRole('button', { name: 'Show' }).click();
  const refusal = page.getByRole('alert');
  await refusal.waitFor();
  check(/is not a period/.test(await refusal.textContent()), 'a bad period shows the API\'s message');

  await page.getByLabel(/^Period/).fill(half);
  await page.getByLabel(/^Country/).fill('pk');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('#report-period', { hasText: 'PK' }).waitFor();
  check(page.url().includes('country=PK'), 'the country filter is in the address');

  // decide post-11 in the console, then the report counts it
  await page.getByRole('link', { name: 'Review queue' }).click();
  await page.locator('#cases tbody tr', { hasText: 'post-11' }).getByRole('link', { name: /^#/ }).click();
  await page.getByLabel('Action').selectOption('remove');
  await page.getByLabel('Statement of reasons').fill('Spam: the same scheme again.');
  await page.getByRole('button', { name: 'Decide' }).click();
  await page.locator('#decide .done').waitFor();
  await page.goto(`${base}/console/#/transparency`);
  await page.reload();
  await page.locator('#headline').waitFor();
  const after = await figure(page, 'content_actions');
  check(after === '12', `after a decision the page counts 12 content actions (${after})`);
  await page.frameLocator('#report-html').locator('h1').waitFor();
  await shot(page, 'transparency-after');
  check(errors.length === 0, `no script errors ${JSON.stringify(errors)}`);
} catch (e) {
  check(false, `unexpected: ${e.message}`);
  if (page) await shot(page, 'failure').catch(() => {});
} finally {
  await browser.close();
}
console.log(`screenshots in ${outdir}`);
process.exit(failed() ? 1 : 0);
