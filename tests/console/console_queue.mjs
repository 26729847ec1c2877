// tests/console/console_queue.mjs URL OUTDIR - as the moderator "mia": the
// queue shows each case's source and language; the Source filter keeps only
// the automated flags, then only the trusted flagger's notice; the Language
// filter keeps only the Urdu item; the filters are labelled, reachable with
// the keyboard (Tab, with a visible focus ring) and work on a narrow window.
import { join } from 'node:path';
import { launch, check, finish } from '../browser/browser.mjs';

const [base, outdir] = process.argv.slice(2);
const browser = await launch();
const shot = (page, name) => page.screenshot({ path: join(outdir, `${name}.png`), fullPage: true });
const items = async (page) => (await page.locator('#cases tbody tr td:nth-child(2)').allTextContents()).sort();
// The items the queue shows once it settles on `want` (sorted ids; [] for the
// empty queue), or what it shows after 15 s: waiting on a count alone would
// pass on the previous filter's rows when both have as many.
const shows = (page, want) => page.waitForFunction((w) => {
  const got = [...document.querySelectorAll('#cases tbody tr td:nth-child(2)')].map((td) => td.textContent).sort();
  return JSON.stringify(got) === JSON.stringify(w) && (w.length > 0 || document.querySelector('#empty'));
}, want, { timeout: 15000 }).catch(() => {});
async function filtered(page, want) {
  await page.getByRole('button', { name: 'Filter' }).click();
  await shows(page, want);
}
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/console/`);
  await page.getByLabel('Login').fill('mia');
  await page.getByLabel('Password').fill('mod-pass-0123456789');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#cases').waitFor();
  await shows(page, ['post-en', 'post-tf', 'post-ur', 'post-user']);
  const all = await items(page);
  check(JSON.stringify(all) === JSON.stringify(['post-en', 'post-tf', 'post-ur', 'post-user']),
        `the queue holds the four cases: ${all}`);
  const row = (item) => page.locator('#cases tbody tr', { hasText: item });
  check(await row('post-ur').locator('.lang').textContent() === 'ur', 'the Urdu item shows its language');
  check(await row('post-tf').locator('.source').textContent() === 'trusted flagger notice',
        'a trusted flagger\'s notice shows its source');
  check(await row('post-user').locator('.lang').textContent() === '—', 'a notice without a language shows none');

  await page.getByLabel('Source').selectOption('automated');
  await filtered(page, ['post-en', 'post-ur']);
  check(JSON.stringify(await items(page)) === JSON.stringify(['post-en', 'post-ur']),
        'Source: automated flag keeps the two flagged posts');
  check(page.url().includes('source=automated'), 'the filter is in the address, to share or reload');
  await page.getByLabel('Source').selectOption('trusted_flagger');
  await filtered(page, ['post-tf']);
  check(JSON.stringify(await items(page)) === JSON.stringify(['post-tf']),
        'Source: trusted flagger notice keeps its notice');
  await page.getByLabel('Source').selectOption('');
  await page.getByLabel(/^Language/).fill('ur');
  await filtered(page, ['post-ur']);
  check(JSON.stringify(await items(page)) === JSON.stringify(['post-ur']), 'Language ur keeps the Urdu item');
  await shot(page, 'queue-language');
  await page.getByLabel(/^Language/).fill('de');
  await filtered(page, []);
  check(await page.locator('#empty').isVisible(), 'no German items: the queue says so');

  // keyboard: from the Standard box, Tab reaches Source and then Language, each with a focus ring
  await page.getByLabel('Standard', { exact: true }).focus();
  await page.keyboard.press('Tab');
  const onSource = await page.getByLabel('Source').evaluate((el) => el === document.activeElement &&
    getComputedStyle(el).outlineStyle !== 'none');
  check(onSource, 'Tab reaches the Source filter, with a visible focus ring');
  await page.keyboard.press('Tab');
  check(await page.getByLabel(/^Language/).evaluate((el) => el === document.activeElement),
        'Tab then reaches the Language filter');
  await page.getByLabel(/^Language/).fill('');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('#cases tbody tr').length === 4);
  check(true, 'Enter in the filters applies them');

  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `on a narrow window the page does not scroll sideways (${overflow} px)`);
  await shot(page, 'queue-narrow');
  check(errors.length === 0, `no script errors ${JSON.stringify(errors)}`);
} catch (e) {
  check(false, `unexpected: ${e.message}`);
}
await finish(browser, outdir);
