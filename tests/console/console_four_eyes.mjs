// tests/console/console_four_eyes.mjs URL OUTDIR WAITING - four-eyes review
// of a legal request: "lee" files a content-restriction request from PK for
// post-7 and post-8 and proposes to restrict both; the page says each waits
// for a second reviewer, names lee, and offers lee no sign-off; WAITING
// (a script) checks through the API that nothing took effect and that lee's
// own sign-off is refused; then "lin" signs post-7 off and rejects post-8's
// proposal with a reason, and the page shows the outcome, who signed off,
// and why the other proposal was rejected.
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, check, finish, signIn } from '../browser/browser.mjs';

const [base, outdir, waiting] = process.argv.slice(2);
const browser = await launch();
const shot = (page, name) => page.screenshot({ path: join(outdir, `${name}.png`), fullPage: true });
// every legal reviewer here has the password LOGIN-pass-0123456789
const signInAs = (page, login) => signIn(page, base, login, `${login}-pass-0123456789`);
const row = (page, item) => page.locator(`#request-items tr[data-item="${item}"]`);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await signInAs(page, 'lee');
  await page.getByRole('link', { name: 'Legal requests' }).click();
  await page.getByLabel('Authority').fill('Islamabad High Court');
  await page.getByLabel(/^Country/).fill('PK');
  await page.getByLabel('Legal instrument').fill('PECA 2016');
  await page.getByLabel('Provision').fill('s. 37');
  await page.getByLabel(/^Items/).fill('post-7\npost-8\n');
  await page.getByRole('button', { name: 'File', exact: true }).click();
  await page.locator('#request-items').waitFor();
  check(await page.locator('#four-eyes').isVisible(), 'the page says the policy asks for a second reviewer');

  for (const item of ['post-7', 'post-8']) {
    await page.getByLabel('Item', { exact: true }).selectOption(item);
    await page.getByLabel('Outcome').selectOption('restrict');
    await page.getByLabel('Statement').fill('Unlawful in Pakistan under the court order.');
    await page.getByRole('button', { name: 'Propose' }).click();
    await row(page, item).locator('.awaiting').waitFor();
  }
  const awaiting = await row(page, 'post-7').locator('.awaiting').textContent();
  check(/^Awaiting sign-off by a second reviewer: restrict proposed by lee /.test(awaiting),
        `the row says who proposed what: ${awaiting}`);
  check(await row(page, 'post-7').locator('.outcome').textContent() === 'pending (restrict proposed)',
        'the item stays undecided');
  check(await page.getByRole('button', { name: 'Sign off post-7' }).count() === 0,
        'the proposer is offered no sign-off');
  check((await row(page, 'post-7').locator('.mine').textContent()).includes('another legal reviewer'),
        'the proposer is told another reviewer must sign off');
  check((await page.locator('#decide-item [role=status]').textContent()).includes('proposed'),
        'proposing says it takes effect only on sign-off');
  await shot(page, 'proposed');
  let refused = true;
  try { execFileSync('bash', [waiting], { stdio: 'inherit' }); } catch { refused = false; }
  check(refused, 'through the API nothing took effect, and the proposer\'s own sign-off is refused (403)');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInAs(page, 'lin');
  await page.getByRole('link', { name: 'Legal requests' }).click();
  const waitingCell = page.locator('#requests tbody tr', { hasText: '#1' }).locator('.awaiting');
  await waitingCell.waitFor();
  check(await waitingCell.textContent() === '2 awaiting a second reviewer',
        'the list shows what waits for a second reviewer');
  await page.goto(`${base}/console/#/request/1`);
  await page.getByRole('button', { name: 'Sign off post-7' }).waitFor();
  await shot(page, 'second-reviewer');
  // by keyboard: from the table's scroll box, Tab reaches the first sign-off
  await page.locator('.scroll', { has: page.locator('#request-items') }).focus();
  await page.keyboard.press('Tab');
  check(await page.getByRole('button', { name: 'Sign off post-7' }).evaluate((el) =>
    el === document.activeElement && getComputedStyle(el).outlineStyle !== 'none'),
    'Tab reaches the sign-off button, with a visible focus ring');
  await page.keyboard.press('Enter');
  await row(page, 'post-7').locator('.outcome', { hasText: /^restrict$/ }).waitFor();
  check(await row(page, 'post-7').locator('.signoff').textContent() === 'signed off by lin',
        'post-7: restrict, signed off by lin');
  check(await row(page, 'post-7').locator('.notice').textContent() !== '—', 'post-7 now has a user notice');

  await page.getByLabel("Reason to reject post-8's proposal").fill('The order names post-7 only.');
  await page.getByRole('button', { name: 'Reject post-8' }).click();
  // The page re-renders the table after each answer: wait for the final text
  // (a slow machine may show an earlier render first), then say what it is.
  const settles = (cls, want) => row(page, 'post-8').locator(cls, { hasText: want })
    .waitFor({ timeout: 15000 }).then(() => true, () => false);
  const rejected = await settles('.signoff', /^last proposal rejected: The order names post-7 only\.$/);
  check(rejected, `post-8: the rejection and its reason show (${await row(page, 'post-8').locator('.signoff').textContent()})`);
  const undecided = await settles('.outcome', /^pending$/);
  check(undecided, `post-8 is undecided again (${await row(page, 'post-8').locator('.outcome').textContent()})`);
  await shot(page, 'signed-off');
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `on a narrow window the page does not scroll sideways (${overflow} px)`);
  await shot(page, 'signed-off-narrow');
  check(errors.length === 0, `no script errors ${JSON.stringify(errors)}`);
} catch (e) {
  check(false, `unexpected: ${e.message}`);
}
await finish(browser, outdir);
