// tests/console/console_appeals.mjs URL OUTDIR - appeals in headless Chromium
// (post-1 removed by mia, made by it_console_appeals.sh): as mia, the nav
// shows Appeals but not Transparency or Audit; the item page lists the
// decision and "removed everywhere"; an appeal filed there for the affected
// user opens beside the decision appealed; mia's own attempt to decide it
// shows the API's refusal. As max: the appeal is in the list, he reverses
// it, and the item page shows the superseded decision and the item visible
// everywhere. The appeal page fits a 390 px window.
import { join } from 'node:path';
import { launch, check, finish, watchErrors, signIn } from '../browser/browser.mjs';

const [base, outdir] = process.argv.slice(2);
const browser = await launch();
const shot = (page, name) => page.screenshot({ path: join(outdir, `${name}.png`), fullPage: true });
const GROUNDS = 'I was selling my own bicycle, not a scheme. البيع ليس احتيالا';
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await signIn(page, base, 'mia', 'mia-pass-0123456789');
  check(await page.getByRole('link', { name: 'Appeals' }).isVisible(), 'a moderator sees Appeals');
  check(await page.getByRole('link', { name: 'Transparency' }).isHidden(), 'a moderator does not see Transparency');
  check(await page.getByRole('link', { name: 'Audit' }).isHidden(), 'a moderator does not see Audit');

  // the item page, from the queue's item link (the decided case: state any)
  await page.goto(`${base}/console/#/queue?state=decided`);
  await page.locator('#cases a', { hasText: 'post-1' }).click();
  await page.locator('#decisions').waitFor();
  check(await page.locator('#decisions tbody tr').count() === 1, 'the item has one decision');
  const summary = await page.locator('#visibility-summary').textContent();
  check(summary === 'Removed everywhere.', `visibility summary: ${summary}`);
  await shot(page, 'item-removed');

  // file an appeal for the affected user
  await page.getByLabel('Appellant').selectOption('affected_user');
  await page.getByLabel(/^Grounds/).fill(GROUNDS);
  await page.getByRole('button', { name: 'File appeal' }).click();
  await page.locator('#original').waitFor();
  check((await page.locator('#original').textContent()).includes('Spam: sells a get-rich scheme.'),
        'the statement of reasons appealed is shown');
  check((await page.locator('#grounds').textContent()).includes(GROUNDS), 'the grounds are shown beside it');
  check(await page.locator('#grounds .quote').getAttribute('dir') === 'auto', 'grounds have dir=auto');
  const appealUrl = page.url();
  check(await page.locator('#own-decision').isVisible(), 'mia is told the appeal goes to someone else');

  // mia decides anyway: the API refuses, the page says why
  await page.getByLabel(/^Outcome/).selectOption('reversed');
  await page.getByLabel('Statement of reasons').fill('Reversing my own decision.');
  await page.getByRole('button', { name: 'Decide' }).click();
  const refusal = page.locator('#decide-appeal .error');
  await refusal.waitFor();
  const said = await refusal.textContent();
  check(/someone other than the original decider/.test(said), `the refusal is shown: ${said}`);
  check(await page.locator('#appeal-outcome').textContent() === 'pending', 'the appeal is still pending');
  await shot(page, 'appeal-refused');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Login').waitFor();
  await signIn(page, base, 'max', 'max-pass-0123456789');
  await page.getByRole('link', { name: 'Appeals' }).click();
  await page.locator('#appeals').waitFor();
  const rows = page.locator('#appeals tbody tr');
  check(await rows.count() === 1, `one open appeal listed (${await rows.count()})`);
  await rows.first().getByRole('link', { name: /^Appeal/ }).click();
  check(page.url() === appealUrl, 'the list links to the same appeal');
  await page.locator('#decide-appeal').waitFor();
  check(await page.locator('#own-decision').count() === 0, 'max gets no own-decision note');
  await page.getByLabel(/^Outcome/).selectOption('reversed');
  await page.getByLabel('Statement of reasons').fill('Reversed: a private sale of one bicycle is not spam.');
  await page.getByRole('button', { name: 'Decide' }).click();
  await page.locator('#appeal-outcome', { hasText: 'reversed' }).waitFor();
  check(await page.locator('#decide-appeal').count() === 0, 'a decided appeal has no decide form');
  await shot(page, 'appeal-reversed');

  await page.setViewportSize({ width: 390, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `no horizontal scroll at 390 px on the appeal page (${overflow} px over)`);
  await shot(page, 'appeal-narrow');
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.locator('#main dl a', { hasText: 'post-1' }).click();
  // the appeal page has a #decisions table too: wait for the item page's own summary
  await page.locator('#visibility-summary').waitFor();
  check(await page.locator('#decisions tbody tr').count() === 2, 'the item has two decisions');
  check(await page.locator('#decisions tr.superseded').count() === 1, 'the removal is marked superseded');
  check((await page.locator('#visibility-summary').textContent()) === 'Visible everywhere.', 'visible everywhere');
  await shot(page, 'item-visible');
  check(errors.length === 0, `no script errors ${JSON.stringify(errors)}`);
} catch (e) {
  check(false, `unexpected: ${e.message}`);
}
await finish(browser, outdir);
