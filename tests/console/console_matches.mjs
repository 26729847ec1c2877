// tests/console/console_matches.mjs URL OUTDIR FLIPX NEAR - the case page
// of post-7 (made by it_console_matches.sh) as the moderator "mia": "What
// fired" lists the blocked link with its URL, list and entry; the blocked
// URL in the text with its bytes (and marked in the text); the image hash
// with its bank, the entry shortened (whole in the title) and the distance;
// the image bytes' match with the variant (flipx) that came nearest. At
// 1280 px and 390 px (no horizontal scroll). Screenshots go to OUTDIR.
import { join } from 'node:path';
import { launch, check, finish, watchErrors } from '../browser/browser.mjs';

const [base, outdir, flipx, near] = process.argv.slice(2);
const browser = await launch();
const shot = (page, name) => page.screenshot({ path: join(outdir, `${name}.png`), fullPage: true });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(`${base}/console/`);
  await page.getByLabel('Login').fill('mia');
  await page.getByLabel('Password').fill('mod-pass-0123456789');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#cases').waitFor();
  await page.locator('#cases tbody tr', { hasText: 'post-7' }).getByRole('link', { name: /^#/ }).click();
  await page.locator('#matches').waitFor();
  const items = await page.locator('#matches li').allTextContents();
  check(items.length === 4, `4 matches listed: ${JSON.stringify(items)}`);

  const link = page.locator('#matches li.fired-link', { hasText: 'link 1' });
  check(await link.count() === 1, 'the blocked link is listed');
  const lt = await link.textContent();
  check(lt.includes('https://login.evil.example/x') && lt.includes('phish') && lt.includes('evil.example/'),
        `the link shows its URL, list and entry: ${lt}`);
  const inText = page.locator('#matches li.fired-link', { hasText: 'URL at bytes' });
  check(await inText.count() === 1 && (await inText.textContent()).includes('phish'),
        'the URL in the text is listed with its list');
  const marks = await page.locator('#highlighted mark').allTextContents();
  check(marks.some((m) => m.includes('evil.example/prize')), `the URL is marked in the text: ${JSON.stringify(marks)}`);

  const hashed = page.locator('#matches li.fired-image', { hasText: 'image hash 1' });
  check(await hashed.count() === 1, 'the image hash match is listed');
  const ht = await hashed.textContent();
  check(ht.includes('2 bits') && ht.includes('known') && ht.includes(near.slice(0, 12)) && !ht.includes(near),
        `the hash match shows distance, bank and a shortened entry: ${ht}`);
  check(await hashed.locator('code.hash').getAttribute('title') === near, 'the whole entry is in the title');

  const image = page.locator('#matches li.fired-image', { hasText: /^known-image: image 1/ });
  check(await image.count() === 1, 'the image bytes match is listed');
  const it = await image.textContent();
  check(it.includes('flipx') && it.includes('known') && /\d+ bits/.test(it),
        `the image match shows its variant, bank and distance: ${it}`);
  check(await image.locator('code.hash').getAttribute('title') === flipx, 'its entry is whole in the title');
  await image.locator('code.hash').hover();
  await shot(page, 'case-matches');

  await page.setViewportSize({ width: 390, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `no horizontal scroll at 390 px (${overflow} px over)`);
  await shot(page, 'case-matches-narrow');
  check(errors.length === 0, `no script errors ${JSON.stringify(errors)}`);
} catch (e) {
  check(false, `unexpected: ${e.message}`);
}
await finish(browser, outdir);
