// tests/console/console_legal.mjs URL OUTDIR - as the legal reviewer "lee":
// the Legal requests entry is shown; file a content-restriction request
// from a PK court for post-7 and post-8; on its page restrict post-7 and
// decline post-8 (no legal basis); both outcomes show in the items table.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { launch, check, finish, signIn } from '../browser/browser.mjs';

const [base, outdir] = process.argv.slice(2);
const browser = await launch();
const shot = (page, name) => page.screenshot({ path: join(outdir, `${name}.png`), fullPage: true });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await signIn(page, base, 'lee', 'legal-pass-0123456789');
  const entry = page.getByRole('link', { name: 'Legal requests' });
  check(await entry.isVisible(), 'the legal requests entry is shown to a legal reviewer');
  await entry.click();
  await page.locator('#file-request').waitFor();

  await page.getByLabel('Authority').fill('Islamabad High Court');
  await page.getByLabel(/^Country/).fill('PK');
  await page.getByLabel('Legal instrument').fill('PECA 2016');
  await page.getByLabel('Provision').fill('s. 37');
  await page.getByLabel(/^Items/).fill('post-7\npost-8\n');
  const order = 'ORDER: restrict post-7 and post-8 in Pakistan';
  await page.getByLabel(/^Order document/).setInputFiles({ name: 'order.txt', mimeType: 'text/plain',
                                                           buffer: Buffer.from(order) });
  await shot(page, 'file');
  await page.getByRole('button', { name: 'File', exact: true }).click();
  await page.locator('#request-items').waitFor();
  check((await page.locator('#request-items tbody tr').count()) === 2, 'the request has 2 items');
  const want = `sha256:${createHash('sha256').update(order).digest('hex')}`;
  const got = await page.locator('#document-hash').textContent();
  check(got === want, `the order's SHA-256 is filed, not the order (${got})`);
  const due = await page.locator('#deadline').textContent();
  check(/^due in [12] d [0-9]+ h$/.test(due), `the PECA clock (48 h) counts down: ${due}`);

  await page.getByLabel('Item', { exact: true }).selectOption('post-7');
  await page.getByLabel('Outcome').selectOption('restrict');
  await page.getByLabel('Statement').fill('Restricted in Pakistan under the court order.');
  await page.getByRole('button', { name: 'Decide' }).click();
  await page.locator('#request-items tr', { hasText: 'post-7' }).filter({ hasText: 'restrict' }).waitFor();
  check(true, 'post-7 restricted');
  const notice = await page.locator('#request-items tr', { hasText: 'post-7' }).locator('.notice').textContent();
  check(notice !== '—', `post-7's user notice status is shown: ${notice}`);

  await page.getByLabel('Item', { exact: true }).selectOption('post-8');
  await page.getByLabel('Outcome').selectOption('decline');
  await page.getByLabel('Reason (decline)').selectOption('no_legal_basis');
  await page.getByRole('button', { name: 'Decide' }).click();
  await page.locator('#request-items tr', { hasText: 'post-8' }).filter({ hasText: 'decline' }).waitFor();
  check(true, 'post-8 declined');
  await shot(page, 'decided');
  check(errors.length === 0, `no script errors ${JSON.stringify(errors)}`);
} catch (e) {
  check(false, `unexpected: ${e.message}`);
}
await finish(browser, outdir);
