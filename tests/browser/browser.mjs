// tests/browser/browser.mjs - what every browser test shares: launch Debian's
// Chromium headless through playwright-core (never a downloaded browser), a
// check() that counts failures instead of stopping at the first, and the
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
