// tests/browser/browser.mjs - what every browser test shares: launch Debian's
// Chromium headless through playwright-core (never a downloaded browser), a
// check() that counts failures instead of stopping at the first, the
// console's sign-in, the page's script errors, the common ending, and the
// pixel measure that tells a drawn chart from a blank one.
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

let failures = 0;
export function check(ok, what) {
  if (ok) {
    console.log(`ok   ${what}`);
  } else {
    failures++;
    console.log(`FAIL ${what}`);
  }
  return ok;
}
export function failed() { return failures; }

// Every uncaught exception and console error of `page`, except the 401/403
// answers the console expects while signed out or denied.
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 40[13]/.test(m.text())) errors.push(m.text()); });
  return errors;
}

// Sign in to the console at `base` and wait until the header names the user.
export async function signIn(page, base, login, password) {
  await page.goto(`${base}/console/`);
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#who', { hasText: login }).waitFor();
}

// The end of every test: close the browser, say where the screenshots are,
// exit 1 if any check failed.
export async function finish(browser, outdir) {
  await browser.close();
  console.log(`screenshots in ${outdir}`);
  process.exit(failed() ? 1 : 0);
}

// Share of a PNG's pixels that differ from its most common colour (the
// background) by more than a little: 0 for a blank image.
export function inkShare(buffer) {
  const png = PNG.sync.read(buffer);
  const counts = new Map();
  const { data, width, height } = png;
  for (let i = 0; i < data.length; i += 4) {
    const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  let bg = 0, best = -1;
  for (const [k, n] of counts) if (n > best) { best = n; bg = k; }
  const br = bg >> 16, bgc = (bg >> 8) & 255, bb = bg & 255;
  let ink = 0;
  for (let i = 0; i < data.length; i += 4) {
    const d = Math.abs(data[i] - br) + Math.abs(data[i + 1] - bgc) + Math.abs(data[i + 2] - bb);
    if (d > 48) ink++;
  }
  return { share: ink / (width * height), width, height, colours: counts.size };
}
