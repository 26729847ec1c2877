// audit.js - the audit page (#/audit, admins and auditors): the last
// verification of the audit log's hash chain and signed checkpoints, and a
// button to verify again. The API keeps no record of past verifications, so
// "last" is the last one this console ran; the page runs one when it has
// none.
import { call } from './api.js';
import { h, when } from './dom.js';
import { show, failure } from './ui.js';

let last = null; // { at: unix seconds, report } of the last verification run here

function reportView(v) {
  const r = v.report;
  return h('div', { id: 'audit-result' },
    h('p', { id: 'audit-verdict', class: r.intact ? 'done' : 'error', role: r.intact ? null : 'alert' },
      r.intact ? 'Intact: every event chains to the one before it.' :
        `Not intact (${r.result}): the first bad event is #${r.first_bad_seq}.`),
    h('dl', {},
      h('dt', {}, 'Verified'), h('dd', { id: 'audit-at' }, when(v.at)),
      h('dt', {}, 'Events'), h('dd', { id: 'audit-events' }, String(r.events)),
      h('dt', {}, 'Signed checkpoints'), h('dd', { id: 'audit-checkpoints' }, String(r.checkpoints)),
      h('dt', {}, 'Last checkpoint at event'), h('dd', {}, r.checkpoints ? `#${r.last_checkpoint}` : 'none yet'),
      h('dt', {}, 'Events after it (chained, not yet signed)'), h('dd', {}, String(r.unsigned_tail)),
      r.intact ? null : [h('dt', {}, 'First bad event'), h('dd', { id: 'audit-bad' }, `#${r.first_bad_seq}`)],
      h('dt', {}, 'Verifier says'), h('dd', {}, r.message)));
}

async function verify(out, button) {
  button.disabled = true;
  out.setAttribute('aria-busy', 'true');
  try {
    last = { at: Math.floor(Date.now() / 1000), report: await call('GET', '/v1/audit/verify') };
    out.replaceChildren(reportView(last));
  } catch (e) {
    out.replaceChildren(failure(e));
  } finally {
    button.disabled = false;
    out.removeAttribute('aria-busy');
  }
}

export async function auditPage() {
  const out = h('div', { 'aria-live': 'polite' }, last ? reportView(last) : 'Verifying…');
  const button = h('button', { type: 'button', id: 'verify-now' }, 'Verify now');
  button.addEventListener('click', () => verify(out, button));
  show('Audit log', h('p', {}, 'Every change arbiter makes is an event in a hash chain, signed at ' +
    'checkpoints; verifying reads the whole log and checks each link and signature.'), out, button);
  if (!last) await verify(out, button);
}
