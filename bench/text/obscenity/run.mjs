// run.mjs - the npm peer of arbiter's text benchmark: obscenity (the filter
// people pick today) with the same 10,000 terms, single-threaded.
//
// Each term becomes one phrase of an obscenity DataSet, matched by a
// RegExpMatcher with englishRecommendedTransformers (confusables, leetspeak,
// ASCII lowercase, collapse duplicates). The text is transformed before
// matching and the patterns are not, so each term is passed through the
// same transformers first (as a user must, or "kharbaaz" never matches the
// collapsed "kharbaz"). obscenity has no regexes: the 200 regex rules are
// left out, and recall on term plants is reported beside overall recall.
//
// obscenity runs every pattern's RegExp over every post, so with 10,000
// terms it manages a few hundred posts/s: it is timed on the first --limit
// posts (default 20,000), stopping early after --max-seconds; posts/s is a
// rate either way. Posts are parsed before timing; the first --warmup posts
// are matched once untimed so V8 has compiled the RegExps.
//
// Usage: node run.mjs --data DIR [--limit N] [--max-seconds S] [--warmup N]
//                     [--flags-out FILE]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DataSet,
  RegExpMatcher,
  englishRecommendedTransformers,
  parseRawPattern,
} from 'obscenity';

function parseArgs(argv) {
  const o = { data: null, limit: 20000, maxSeconds: 300, warmup: 500, flagsOut: null };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    if (a === '--data') { o.data = v; i++; }
    else if (a === '--limit') { o.limit = Number(v); i++; }
    else if (a === '--max-seconds') { o.maxSeconds = Number(v); i++; }
    else if (a === '--warmup') { o.warmup = Number(v); i++; }
    else if (a === '--flags-out') { o.flagsOut = v; i++; }
    else { throw new Error(`unknown argument ${a}`); }
  }
  if (!o.data) throw new Error('usage: node run.mjs --data DIR [--limit N] [--max-seconds S]');
  return o;
}

const opts = parseArgs(process.argv);
const pkg = JSON.parse(readFileSync(new URL('./node_modules/obscenity/package.json', import.meta.url)));

// ---- Terms -> dataset --------------------------------------------------
const terms = readFileSync(join(opts.data, 'terms.txt'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

// A matcher with no terms, only to run the recommended transformers over a
// pattern's text (RegExpMatcher.applyTransformers is how obscenity itself
// transforms input).
const probe = new RegExpMatcher({ blacklistedTerms: [], ...englishRecommendedTransformers });
function transformPattern(s) {
  if (typeof probe.applyTransformers === 'function') {
    return probe.applyTransformers(s, probe.blacklistMatcherTransformers)[1];
  }
  // Fallback: what collapseDuplicates does with the recommended thresholds.
  const keep2 = new Set(['b', 'e', 'o', 'l', 's', 'g']);
  let out = '', prev = '', run = 0;
  for (const ch of s.toLowerCase()) {
    run = ch === prev ? run + 1 : 1;
    prev = ch;
    if (run <= (keep2.has(ch) ? 2 : 1)) out += ch;
  }
  return out;
}
const escapePattern = (s) => s.replace(/[\\[\]?|]/g, (c) => `\\${c}`);

const tBuild0 = process.hrtime.bigint();
const dataset = new DataSet();
for (const t of terms) {
  dataset.addPhrase((p) =>
    p.setMetadata({ originalWord: t }).addPattern(parseRawPattern(escapePattern(transformPattern(t)))),
  );
}
const matcher = new RegExpMatcher({ ...dataset.build(), ...englishRecommendedTransformers });
const buildS = Number(process.hrtime.bigint() - tBuild0) / 1e9;

// ---- Posts and truth -----------------------------------------------------
const raw = readFileSync(join(opts.data, 'posts.jsonl'));
const tParse0 = process.hrtime.bigint();
const posts = [];
let fileBytes = 0;
{
  let start = 0;
  while (posts.length < opts.limit && start < raw.length) {
    let nl = raw.indexOf(10, start);
    if (nl < 0) nl = raw.length;
    const line = raw.toString('utf8', start, nl);
    fileBytes += nl - start + 1;
    start = nl + 1;
    if (!line) continue;
    const o = JSON.parse(line);
    posts.push({ id: String(o.id), text: o.text, bytes: Buffer.byteLength(o.text, 'utf8') });
  }
}
const parseS = Number(process.hrtime.bigint() - tParse0) / 1e9;

const truth = readFileSync(join(opts.data, 'truth.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l)
  .map((l) => {
    const f = l.split('\t');
    return { id: f[0], planted: f[1] === '1', disguised: f[2] === '1', regex: f[4] === 'regex' };
  });

// ---- Warm-up, then the timed loop ------------------------------------------
const warm = Math.min(opts.warmup, posts.length);
for (let i = 0; i < warm; i++) matcher.hasMatch(posts[i].text);

const flagged = new Uint8Array(posts.length);
const deadline = opts.maxSeconds * 1e9;
let done = 0, textBytes = 0, doneFileBytes = 0;
const t0 = process.hrtime.bigint();
for (; done < posts.length; done++) {
  flagged[done] = matcher.hasMatch(posts[done].text) ? 1 : 0;
  textBytes += posts[done].bytes;
  if ((done & 63) === 63 && Number(process.hrtime.bigint() - t0) > deadline) { done++; break; }
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
// File bytes of the posts actually matched (the same share as their text).
doneFileBytes = fileBytes * (done / posts.length);

// ---- Score -------------------------------------------------------------------
const pct = (a, b) => (b ? (100 * a) / b : 0);
let plain = 0, plainHit = 0, disg = 0, disgHit = 0, clean = 0, cleanHit = 0;
let tPlain = 0, tPlainHit = 0, tDisg = 0, tDisgHit = 0;
for (let i = 0; i < done; i++) {
  const t = truth[i];
  if (!t || t.id !== posts[i].id) throw new Error(`post ${i + 1}: id differs from truth.tsv`);
  const hit = flagged[i];
  if (!t.planted) { clean++; cleanHit += hit; continue; }
  if (t.disguised) { disg++; disgHit += hit; } else { plain++; plainHit += hit; }
  if (!t.regex) {
    if (t.disguised) { tDisg++; tDisgHit += hit; } else { tPlain++; tPlainHit += hit; }
  }
}
if (opts.flagsOut) {
  const lines = [];
  for (let i = 0; i < done; i++) lines.push(`${posts[i].id}\t${flagged[i]}`);
  writeFileSync(opts.flagsOut, lines.join('\n') + '\n');
}

const pps = done / secs;
console.log(`obscenity ${pkg.version} on node ${process.version}: ${terms.length} terms as phrases ` +
  `(RegExpMatcher, englishRecommendedTransformers, hasMatch); regexes: none (not supported); ` +
  `build ${buildS.toFixed(2)} s`);
console.log(`timed on the first ${done} of ${posts.length} loaded posts ` +
  `(--limit ${opts.limit}, --max-seconds ${opts.maxSeconds}; warm-up ${warm} posts; ` +
  `JSON parse ${parseS.toFixed(2)} s, not timed)`);
console.log(`match loop: ${secs.toFixed(3)} s = ${pps.toFixed(1)} posts/s, ` +
  `${(textBytes / 1e6 / secs).toFixed(3)} MB/s of text, ` +
  `${(doneFileBytes / 1e6 / secs).toFixed(3)} MB/s of file`);
console.log(`  recall plain      ${pct(plainHit, plain).toFixed(3)} %  (${plainHit}/${plain})`);
console.log(`  recall disguised  ${pct(disgHit, disg).toFixed(3)} %  (${disgHit}/${disg})`);
console.log(`  false positives   ${pct(cleanHit, clean).toFixed(3)} %  (${cleanHit}/${clean})`);
console.log(`  term plants only: plain ${pct(tPlainHit, tPlain).toFixed(3)} %, ` +
  `disguised ${pct(tDisgHit, tDisg).toFixed(3)} %`);
console.log(`RESULT tool=obscenity posts=${done} text_bytes=${textBytes} ` +
  `file_bytes=${Math.round(doneFileBytes)} scan_s=${secs.toFixed(6)} ` +
  `posts_per_s=${pps.toFixed(1)} text_mb_s=${(textBytes / 1e6 / secs).toFixed(4)} ` +
  `file_mb_s=${(doneFileBytes / 1e6 / secs).toFixed(4)} build_s=${buildS.toFixed(3)} ` +
  `version=${pkg.version}`);
console.log(`SCORE tool=obscenity posts=${done} recall_plain=${pct(plainHit, plain).toFixed(4)} ` +
  `recall_disguised=${pct(disgHit, disg).toFixed(4)} fp_rate=${pct(cleanHit, clean).toFixed(4)} ` +
  `plain=${plain} plain_hit=${plainHit} disguised=${disg} disguised_hit=${disgHit} ` +
  `clean=${clean} clean_hit=${cleanHit} term_recall_plain=${pct(tPlainHit, tPlain).toFixed(4)} ` +
  `term_recall_disguised=${pct(tDisgHit, tDisg).toFixed(4)}`);
