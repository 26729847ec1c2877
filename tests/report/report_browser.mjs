// tests/report/report_browser.mjs HTML OUTDIR [--charts N] - open a
// transparency report (arbiter report --format html) in headless Chromium,
// screenshot the page and each chart, and check every chart is drawn:
//   - at least N <svg class="chart"> elements (default 1);
//   - each has data marks (rect.bar or polyline), every bar with a non-zero
//     rendered width and height, and some line that is not flat;
//   - its screenshot, with the axes and labels hidden, has data ink: at
//     least 1% of its pixels differ from the background.
// Exit 0 when all hold, 1 otherwise; prints one line per check.
import { mkdirSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, check, failed, inkShare } from '../browser/browser.mjs';

const [html, outdir, ...rest] = process.argv.slice(2);
if (!html || !outdir) {
  console.error('usage: report_browser.mjs HTML OUTDIR [--charts N]');
  process.exit(2);
}
const want = rest[0] === '--charts' ? Number(rest[1]) : 1;
mkdirSync(outdir, { recursive: true });

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(resolve(html)).href);
  await page.screenshot({ path: join(outdir, 'page.png'), fullPage: true });
  check(errors.length === 0, `no script errors on the page ${errors.join('; ')}`);

  const charts = page.locator('svg.chart');
  const n = await charts.count();
  check(n >= want, `${n} charts on the page, want at least ${want}`);
  for (let i = 0; i < n; i++) {
    const chart = charts.nth(i);
    const title = (await chart.locator('title').first().textContent().catch(() => '')) || `chart ${i}`;
    const marks = await chart.evaluate((svg) => {
      const size = (el) => { const r = el.getBoundingClientRect(); return [r.width, r.height]; };
      return {
        bars: [...svg.querySelectorAll('rect.bar')].map(size),
        lines: [...svg.querySelectorAll('polyline, path.line')].map(size),
      };
    });
    const shot = await chart.screenshot({ path: join(outdir, `chart-${i}.png`) });
    check(inkShare(shot).share > 0.005, `${title}: the chart's screenshot is not blank`);
    check(marks.bars.length + marks.lines.length > 0, `${title}: has data marks`);
    if (marks.bars.length)
      check(marks.bars.every(([w, h]) => w > 0 && h > 0),
            `${title}: every one of ${marks.bars.length} bars has a non-zero size`);
    if (marks.lines.length)
      check(marks.lines.some(([, h]) => h > 1), `${title}: some line of ${marks.lines.length} is not flat`);
    // the data alone: hide labels and axes, keep bars and lines
    await chart.evaluate((svg) => svg.querySelectorAll('text, .axis, title')
      .forEach((el) => el.style.setProperty('visibility', 'hidden')));
    const data = await chart.screenshot({ path: join(outdir, `chart-${i}-data.png`) });
    const ink = inkShare(data);
    check(ink.share >= 0.01, `${title}: data ink ${(100 * ink.share).toFixed(1)}% of ${ink.width}x${ink.height} px (want >= 1%)`);
  }
} finally {
  await browser.close();
}
console.log(`screenshots in ${resolve(outdir)}`);
process.exit(failed() ? 1 : 0);
