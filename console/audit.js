// audit.js - the audit page (#/audit, admins and auditors): the last
// verification of the audit log's hash chain and signed checkpoints (kept by
// arbiterd: when, who ran it, what it found), a short history of earlier
// runs, and a button to verify again. When the store keeps no verification
// yet, the page runs the first one.
import { call } from './api.js';
import { h, when } from './dom.js';
import { show, failure, table, scroller } from './ui.js';

const HISTORY = 10;

function verdict(r) {
  return h('p', { id: 'audit-verdict', class: r.intact ? 'done' : 'error', role: r.intact ? null : 'alert' },
    r.intact ? 'Intact: every event chains to the one before it.' :
      `Not intact (${r.result}): the first bad event is #${r.first_bad_seq}.`);
}

function lastView(r) {
  return h('div', { id: 'audit-result' }, h('h2', {}, 'Last verification'), verdict(r),
    h('dl', {},
      h('dt', {}, 'Verified'), h('dd', { id: 'audit-at' }, when(r.ran_at)),
      h('dt', {}, 'Run by'), h('dd', { id: 'audit-by' }, r.ran_by === 'cli' ? 'the command line (arbiter audit verify)' : r.ran_by),
      h('dt', {}, 'Events'), h('dd', { id: 'audit-events' }, String(r.events)),
      h('dt', {}, 'Signed checkpoints'), h('dd', { id: 'audit-checkpoints' }, String(r.checkpoints)),
      h('dt', {}, 'Last checkpoint at event'), h('dd', {}, r.checkpoints ? `#${r.last_checkpoint}` : 'none yet'),
      h('dt', {}, 'Events after it (chained, not yet signed)'), h('dd', {}, String(r.unsigned_tail)),
      r.intact ? null : [h('dt', {}, 'First bad event'), h('dd', { id: 'audit-bad' }, `#${r.first_bad_seq}`)],
      h('dt', {}, 'Verifier says'), h('dd', {}, r.message)));
}

function historyView(runs) {
  return [h('h2', {}, 'Earlier verifications'),
    runs.length === 0 ? h('p', { id: 'audit-no-history' }, 'None before the last one.') :
      scroller(table('audit-history', 'Earlier verifications, newest first',
        ['When', 'Run by', 'Result', 'Events', 'Checkpoints', 'First bad event'],
        runs.map((r) => h('tr', { 'data-run': r.id },
          h('td', {}, when(r.ran_at)), h('td', {}, r.ran_by),
          h('td', { class: r.intact ? 'done' : 'error' }, r.intact ? 'intact' : r.result),
          h('td', {}, String(r.events)), h('td', {}, String(r.checkpoints)),
          h('td', {}, r.intact ? '—' : `#${r.first_bad_seq}`)))))];
}

async function load(out) {
  const runs = await call('GET', `/v1/audit/verifications?limit=${HISTORY}`);
  out.replaceChildren(...(runs.length === 0 ? [h('p', { id: 'audit-never' }, 'Never verified.')] :
    [lastView(runs[0]), ...historyView(runs.slice(1))]));
  return runs.length;
}

async function verify(out, button) {
  button.disabled = true;
  out.setAttribute('aria-busy', 'true');
  try {
    await call('POST', '/v1/audit/verify');
    await load(out);
  } catch (e) {
    out.replaceChildren(failure(e));
  } finally {
    button.disabled = false;
    out.removeAttribute('aria-busy');
  }
}

export async function auditPage() {
  const out = h('div', { 'aria-live': 'polite' }, 'Loading…');
  const button = h('button', { type: 'button', id: 'verify-now' }, 'Verify now');
  button.addEventListener('click', () => verify(out, button));
  show('Audit log', h('p', {}, 'Every change arbiter makes is an event in a hash chain, signed at ' +
    'checkpoints; verifying reads the whole log and checks each link and signature. Each run is ' +
    'kept, with who ran it, and is itself an event in the log.'), button, out);
  try {
    if (await load(out) === 0) await verify(out, button);
  } catch (e) {
    out.replaceChildren(failure(e));
  }
}
