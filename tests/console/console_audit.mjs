// tests/console/console_audit.mjs URL OUTDIR CHANGE TAMPER - the audit page
// as the auditor "aud": the nav offers Audit and Transparency but not Legal
// requests; opening the page verifies the log (intact); after CHANGE (a
// recorded check) "Verify now" counts more events; the last result is still
// there after leaving the page and coming back, and after a reload (it is
// kept by arbiterd, with who ran it and earlier runs); after TAMPER (an event
// rewritten in the database) "Verify now" says the chain is broken at #3.
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, check, finish, signIn, watchErrors } from '../browser/browser.mjs';

const [base, outdir, change, tamper] = process.argv.slice(2);
const browser = await launch();
const shot = (page, name) => page.screenshot({ path: join(outdir, `${name}.png`), fullPage: true });
const events = async (page) => Number(await page.locator('#audit-events').textContent());
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await signIn(page, base, 'aud', 'aud-pass-0123456789');
  check(await page.getByRole('link', { name: 'Audit' }).isVisible(), 'an auditor sees Audit');
  check(await page.getByRole('link', { name: 'Transparency' }).isVisible(), 'an auditor sees Transparency');
  check(await page.getByRole('link', { name: 'Legal requests' }).isHidden(), 'an auditor does not see Legal requests');

  await page.getByRole('link', { name: 'Audit' }).click();
  await page.locator('#audit-verdict').waitFor();
  check((await page.locator('#audit-verdict').textContent()).startsWith('Intact'), 'the log is intact');
  const before = await events(page);
  check(before > 0, `events counted: ${before}`);
  check(/^\d+$/.test(await page.locator('#audit-checkpoints').textContent()), 'checkpoints counted');
  await shot(page, 'audit-intact');

  execFileSync('bash', [change]);
  await page.getByRole('button', { name: 'Verify now' }).click();
  await page.waitForFunction((n) => Number(document.querySelector('#audit-events')?.textContent) > n, before);
  const after = await events(page);
  check(after > before, `Verify now counts the new events: ${before} -> ${after}`);

  await page.getByRole('link', { name: 'Review queue' }).click();
  await page.locator('#cases').waitFor();
  await page.getByRole('link', { name: 'Audit' }).click();
  await page.locator('#audit-events').waitFor();
  check(await events(page) === after, 'the last result is shown on coming back');

  // every run is kept: after a reload the stored result, who ran it and the history show
  await page.getByRole('button', { name: 'Verify now' }).click();
  await page.waitForFunction((n) => Number(document.querySelector('#audit-events')?.textContent) > n, after);
  const kept = await events(page);
  await page.reload();
  await page.locator('#audit-events').waitFor();
  check(await events(page) === kept, `after a reload the stored result shows (${kept} events)`);
  check(await page.locator('#audit-by').textContent() === 'aud', 'the stored run names who ran it');
  check(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/.test(await page.locator('#audit-at').textContent()),
        'the stored run says when');
  const rows = await page.locator('#audit-history tbody tr').count();
  check(rows >= 2, `earlier runs are listed (${rows})`);
  await shot(page, 'audit-history');

  execFileSync('bash', [tamper]);
  await page.getByRole('button', { name: 'Verify now' }).click();
  await page.locator('#audit-bad').waitFor();
  const verdict = await page.locator('#audit-verdict').textContent();
  check(verdict.startsWith('Not intact'), `a rewritten event is found: ${verdict}`);
  check(await page.locator('#audit-bad').textContent() === '#3', 'the first bad event is #3');
  check(await page.getByRole('alert').count() === 1, 'the broken chain is announced as an alert');
  await shot(page, 'audit-broken');
  check(errors.length === 0, `no script errors ${JSON.stringify(errors)}`);
} catch (e) {
  check(false, `unexpected: ${e.message}`);
}
await finish(browser, outdir);
