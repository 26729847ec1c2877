// tests/console/console_item.mjs URL OUTDIR - the item page (history made by
// it_console_item.sh). As mia: from the queue's item link, post-3 shows both
// court-order restrictions (scope, ground, source, decider, statement) and a
// table restricted in IN and PK, visible in any other country; from its case
// page, the link leads to the same item; the world map beside the table
// highlights IN and PK, and a removal colours every tile; post-4 is removed everywhere; an
// item with no decisions is visible everywhere; keyboard reaches the table.
// As the auditor aud (no visibility look-ups by the API's roles): the
// decisions, and a note instead of the table.
import { join } from 'node:path';
import { launch, check, failed, watchErrors, signIn } from '../browser/browser.mjs';

const [base, outdir] = process.argv.slice(2);
const browser = await launch();
const shot = (page, name) => page.screenshot({ path: join(outdir, `${name}.png`), fullPage: true });
const stateIn = (page, cc) => page.locator(`#visibility tr[data-country="${cc}"] td`).nth(1).textContent();
let page;
try {
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await signIn(page, base, 'mia', 'mia-pass-0123456789');
  await page.locator('#cases').waitFor();
  await page.locator('#cases a', { hasText: 'post-3' }).click();
  await page.locator('#visibility').waitFor();
  check(page.url().endsWith('#/item/post-3'), `the queue links to the item (${page.url()})`);
  const rows = await page.locator('#decisions tbody tr').allTextContents();
  check(rows.length === 2, `two decisions (${rows.length})`);
  check(rows.every((r) => r.includes('restrict') && r.includes('legal_order') && r.includes('lee')),
        'each decision shows action, source and decider');
  check(rows.some((r) => r.includes('Restricted in PK.')) && rows.some((r) => r.includes('Restricted in IN.')),
        'each decision shows its statement');
  check(await stateIn(page, 'PK') === 'restricted' && await stateIn(page, 'IN') === 'restricted',
        'restricted in PK and IN');
  check(await stateIn(page, 'other') === 'visible', 'visible in any other country');
  const countries = await page.locator('#visibility tbody tr').evaluateAll((trs) => trs.map((t) => t.dataset.country));
  check(JSON.stringify(countries) === '["IN","PK","other"]', `one row per country: ${countries}`);
  await page.locator('#visibility').locator('xpath=..').focus();
  check(await page.evaluate(() => document.activeElement.getAttribute('role') === 'region'),
        'the table region takes keyboard focus (scrolls by keyboard on a phone)');
  // the world map beside the table: PK and IN highlighted, every other tile visible
  const tile = (cc) => page.locator(`#world-map g[data-country="${cc}"]`).getAttribute('data-state');
  check(await tile('PK') === 'restricted' && await tile('IN') === 'restricted', 'the map highlights PK and IN');
  check(await tile('DE') === 'visible' && await tile('BR') === 'visible', 'other countries are visible on the map');
  const tiles = await page.locator('#world-map g.tile').count();
  check(tiles === 249, `one tile per ISO 3166-1 country (${tiles})`);
  check(await page.locator('#world-map').getAttribute('data-counts') === '247,2,0', 'two tiles restricted, 247 visible');
  check((await page.locator('#world-map-title').textContent()).includes('post-3') &&
        (await page.locator('#world-map-desc').textContent()).includes('IN, PK'),
        'the map has a title and a description naming the countries');
  check(await page.getByRole('img', { name: /World map: where post-3 can be seen/ }).count() === 1,
        'the map is announced as an image with its title and description');
  const box = await page.locator('#world-map').boundingBox();
  const tbl = await page.locator('#visibility').boundingBox();
  check(box.width >= 400 && Math.abs(box.y - tbl.y) < 60 && tbl.x > box.x,
        `at 1280 px the map sits beside the table (map ${Math.round(box.width)} px wide)`);
  await shot(page, 'item-restricted');

  // the case page links to the same item
  await page.goto(`${base}/console/#/queue`);
  await page.locator('#cases tbody tr', { hasText: 'post-3' }).getByRole('link', { name: /^#/ }).click();
  await page.getByRole('link', { name: 'Everything about post-3' }).click();
  await page.locator('#visibility').waitFor();
  check(page.url().endsWith('#/item/post-3'), 'the case page links to the item');

  await page.goto(`${base}/console/#/item/post-4`);
  await page.locator('#visibility-summary', { hasText: 'Removed everywhere.' }).waitFor();
  check(await stateIn(page, 'other') === 'removed', 'post-4 removed everywhere');
  check(await page.locator('#world-map').getAttribute('data-counts') === '0,0,249',
        'a global removal colours every tile of the map');
  await shot(page, 'item-removed');

  await page.goto(`${base}/console/#/item/never-decided`);
  await page.locator('#no-decisions').waitFor();
  check(await page.locator('#visibility-summary').textContent() === 'Visible everywhere.',
        'an item without decisions is visible everywhere');
  check(await page.locator('#file-appeal').count() === 0, 'nothing to appeal without a decision');

  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`${base}/console/#/item/post-3`);
  await page.locator('#decisions').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `no page-wide horizontal scroll at 390 px (${overflow} px over)`);
  const narrow = await page.locator('#world-map').boundingBox();
  check(narrow.width > 300 && narrow.width <= 390, `on a narrow window the map fits (${Math.round(narrow.width)} px)`);
  await shot(page, 'item-narrow');
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Login').waitFor();
  await signIn(page, base, 'aud', 'aud-pass-0123456789');
  await page.goto(`${base}/console/#/item/post-3`);
  await page.locator('#decisions').waitFor();
  check(await page.locator('#visibility-note').isVisible(), 'an auditor gets a note, not a failed look-up');
  check(await page.locator('#file-appeal').count() === 0, 'an auditor cannot file an appeal');
  await shot(page, 'item-auditor');
  check(errors.length === 0, `no script errors ${JSON.stringify(errors)}`);
} catch (e) {
  check(false, `unexpected: ${e.message}`);
  if (page) await shot(page, 'failure').catch(() => {});
} finally {
  await browser.close();
}
console.log(`screenshots in ${outdir}`);
process.exit(failed() ? 1 : 0);
