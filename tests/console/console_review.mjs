// tests/console/console_review.mjs URL OUTDIR - the console's sign-in and
// review queue in headless Chromium, as the moderator "mia" (users and two
// open cases, post-1 and post-2, are made by it_console_review.sh):
// a wrong password is refused with a message; sign-in by keyboard; the
// queue lists both cases; the legal requests entry is hidden and the API
// refuses it (403); the case page marks the matched bytes of pasted text
// (a two-byte é before the match checks byte offsets, not characters);
// deciding "remove" with a statement succeeds and the case leaves the queue.
// Both at 1280 px and at 390 px. Screenshots go to OUTDIR.
import { join } from 'node:path';
import { launch, check, finish, watchErrors } from '../browser/browser.mjs';

const [base, outdir] = process.argv.slice(2);
const browser = await launch();
const shot = (page, name) => page.screenshot({ path: join(outdir, `${name}.png`), fullPage: true });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(`${base}/`);
  check(page.url().endsWith('/console/'), `/ lands on the console (${page.url()})`);
  await page.getByLabel('Login').waitFor();
  await shot(page, 'signin');

  // a wrong password: a message, still on the sign-in page
  await page.getByLabel('Login').fill('mia');
  await page.getByLabel('Password').fill('wrong-password-123');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.filter({ hasText: 'Sign-in failed' }).waitFor();
  check(true, 'a wrong password is refused with a message');

  // by keyboard: type, Tab to the password, Enter submits
  await page.getByLabel('Login').fill('');
  await page.getByLabel('Login').focus();
  await page.keyboard.type('mia');
  await page.keyboard.press('Tab');
  check(await page.getByLabel('Password').evaluate((el) => el === document.activeElement),
        'Tab moves from login to password');
  await page.keyboard.type('mod-pass-0123456789');
  await page.keyboard.press('Enter');
  await page.locator('#cases').waitFor();
  check((await page.locator('#who').textContent()).includes('mia (moderator)'), 'signed in as mia');
  const rows = page.locator('#cases tbody tr');
  check(await rows.count() === 2, `the queue lists 2 open cases (${await rows.count()})`);
  await shot(page, 'queue');

  // a moderator does not see legal requests, and the API agrees
  check(await page.getByRole('link', { name: 'Legal requests' }).isHidden(), 'legal requests entry hidden');
  const status = await page.evaluate(async () => (await fetch('/v1/requests')).status);
  check(status === 403, `GET /v1/requests as a moderator: ${status}, want 403`);

  // the visible focus ring: a focused link has an outline
  await page.locator('#cases a').first().focus();
  const outline = await page.locator('#cases a').first().evaluate((el) => getComputedStyle(el).outlineStyle);
  check(outline !== 'none', `focused links show an outline (${outline})`);

  // the case of post-1: highlights at byte offsets
  await page.locator('#cases tbody tr', { hasText: 'post-1' }).getByRole('link', { name: /^#/ }).click();
  await page.locator('#decide').waitFor();
  // the text kept as evidence is marked at once; without it, the pasted text
  if (await page.locator('#item-text').count()) await page.getByLabel(/Item text/).fill('Héllo: free money now');
  await page.locator('#highlighted mark').first().waitFor();
  const marks = await page.locator('#highlighted mark').allTextContents();
  check(marks.length >= 1 && marks[0] === 'free money', `the match is marked: ${JSON.stringify(marks)}`);
  check(await page.locator('#highlighted .text').getAttribute('dir') === 'auto', 'item text has dir=auto');
  await shot(page, 'case');

  // the keys: a assigns to me (the API agrees), d goes to the decision
  await page.locator('h1').click();
  await page.keyboard.press('a');
  await page.getByRole('button', { name: 'Assigned to you' }).waitFor();
  const mine = await page.evaluate(async () => (await (await fetch('/v1/cases?assignee=mia')).json()).length);
  check(mine === 1, `the a key assigned the case: ${mine} case(s) for mia`);
  await page.keyboard.press('d');
  check(await page.locator('#decide select').evaluate((el) => el === document.activeElement),
        'the d key focuses the decision');
  // a template to start from, per action and standard
  await page.getByLabel('Action').selectOption('label');
  check((await page.getByLabel('Statement of reasons').inputValue()).startsWith('Labelled:'),
        'the statement starts from the template of the action');

  // decide without a statement: the browser's own required check keeps it
  await page.getByLabel('Action').selectOption('remove');
  await page.getByLabel('Statement of reasons').fill('Spam: the post sells a scheme (community standard spam).');
  await page.getByRole('button', { name: 'Decide' }).click();
  await page.locator('#decide .done').waitFor();
  check((await page.locator('#decide [role=status]').textContent()).includes('decided'), 'the decision is saved');
  await shot(page, 'decided');

  await page.getByRole('link', { name: 'Review queue' }).click();
  await page.locator('#cases').waitFor();
  const left = await page.locator('#cases tbody tr').allTextContents();
  check(left.length === 1 && left[0].includes('post-2'), `post-1 left the queue: ${JSON.stringify(left)}`);

  // narrow: the page fits without horizontal scrolling
  await page.setViewportSize({ width: 390, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `no horizontal scroll at 390 px (${overflow} px over)`);
  await shot(page, 'queue-narrow');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Login').waitFor();
  const after = await page.evaluate(async () => (await fetch('/v1/cases')).status);
  check(after === 401, `after sign-out the API answers ${after}, want 401`);
  check(errors.length === 0, `no script errors ${JSON.stringify(errors)}`);
} catch (e) {
  check(false, `unexpected: ${e.message}`);
}
await finish(browser, outdir);
