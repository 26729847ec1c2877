// app.js - the console: a hash router (#/queue, #/case/7, #/requests,
// #/request/3, #/appeals, #/appeal/9, #/item/post-1, #/audit,
// #/transparency) over arbiterd's API (api.js), with pages built from data
// (dom.js, ui.js; one module per page beyond the first ones). Whatever the console hides, the API enforces: roles are
// checked on every route server-side; the console only leaves out what a
// role cannot use.
import { call, session, signIn, signOut, q, seg } from './api.js';
import { h, field, when, highlighted } from './dom.js';
import { show, errorText, failure, status, say, select, decisionsTable, scroller } from './ui.js';
import { appealsPage, appealPage } from './appeals.js';
import { itemPage } from './item.js';
import { auditPage } from './audit.js';
import { transparencyPage } from './transparency.js';

const nav = document.getElementById('nav');
const who = document.getElementById('who');
const signoutButton = document.getElementById('signout');
let me = null;

const DECISION_ACTIONS = ['none', 'label', 'remove', 'restrict', 'suspend_account'];
const REQUEST_OUTCOMES = ['restrict', 'remove', 'decline', 'need_info', 'disclose', 'preserve'];
const DECLINE_REASONS = ['no_legal_basis', 'overbroad', 'not_identifiable', 'not_our_content',
                         'rights_concern'];

function setChrome() {
  nav.hidden = !me;
  signoutButton.hidden = !me;
  who.textContent = me ? `${me.login} (${me.role})` : '';
  for (const a of nav.querySelectorAll('a[data-roles]')) // only what the role can use
    a.hidden = !me || !a.dataset.roles.split(' ').includes(me.role);
  const page = (location.hash.split(/[/?]/)[1] || '');
  for (const a of nav.querySelectorAll('a'))
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
}

/*---- Sign in ---------------------------------------------------------------*/

function signInPage() {
  const login = h('input', { name: 'login', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password',
                                autocomplete: 'current-password', required: true });
  const msg = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { onsubmit: async (ev) => {
    ev.preventDefault();
    msg.textContent = '';
    try {
      me = await signIn(login.value, password.value);
      password.value = '';
      if (location.hash === '#/queue') route();
      else location.hash = '#/queue'; // hashchange routes
    } catch (e) {
      msg.textContent = `Sign-in failed: ${errorText(e)}`;
    }
  } }, ...field('Login', login), ...field('Password', password),
     h('button', { type: 'submit' }, 'Sign in'), msg);
  show('Sign in', form);
  login.focus();
}

/*---- Review queue --------------------------------------------------------*/

// Where a case came from, as GET /v1/cases?source= names it, and for people.
const SOURCES = [['', 'any'], ['automated', 'automated flag'], ['user_notice', 'user notice'],
                 ['trusted_flagger', 'trusted flagger notice'], ['legal', 'authority notice (legal)'],
                 ['appeal', 'appeal']];
const sourceName = (s) => (SOURCES.find(([v]) => v === s) || [s, s || ''])[1];

async function queuePage(params) {
  const state = select(['open', 'assigned', 'decided', ''], params.get('state') ?? 'open');
  state.options[3].textContent = 'any';
  const kind = select(['', 'flag', 'notice', 'appeal'], params.get('kind') || '');
  kind.options[0].textContent = 'any';
  const standard = h('input', { value: params.get('standard') || '' });
  const source = select(SOURCES.map(([v]) => v), params.get('source') || '');
  SOURCES.forEach(([, label], i) => { source.options[i].textContent = label; });
  // the item's language: a BCP 47 primary tag, as the check request gave it
  const lang = h('input', { value: params.get('lang') || '', size: 8, maxlength: 8,
                            pattern: '[a-z]{2,8}', placeholder: 'en, ur…', autocapitalize: 'none',
                            spellcheck: 'false' });
  const filters = h('form', { class: 'filters', onsubmit: (ev) => {
    ev.preventDefault();
    location.hash = `#/queue${q({ state: state.value, kind: kind.value, standard: standard.value,
                                  source: source.value, lang: lang.value.trim().toLowerCase() })}`;
  } }, h('div', {}, ...field('State', state)), h('div', {}, ...field('Kind', kind)),
     h('div', {}, ...field('Standard', standard)), h('div', {}, ...field('Source', source)),
     h('div', {}, ...field('Language (e.g. en, ur)', lang)), h('button', { type: 'submit' }, 'Filter'));
  const out = h('div', { 'aria-live': 'polite' }, 'Loading…');
  show('Review queue', filters, out);
  try {
    const cases = await call('GET', `/v1/cases${q({ state: state.value, kind: kind.value,
                                                    standard: standard.value, source: source.value,
                                                    lang: lang.value.trim().toLowerCase() })}`);
    out.replaceChildren(cases.length === 0 ? h('p', { id: 'empty' }, 'No cases.') :
      scroller(h('table', { id: 'cases' },
        h('caption', { class: 'skip' }, 'Cases, trusted flaggers first, then oldest first'),
        h('thead', {}, h('tr', {}, ['Case', 'Item', 'Kind', 'Source', 'Language', 'Standard', 'State', 'Opened']
          .map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, cases.map((c) => h('tr', { 'data-case': c.id },
          h('td', {}, h('a', { href: `#/case/${c.id}` }, `#${c.id}`)),
          h('td', { dir: 'auto' }, h('a', { href: `#/item/${seg(c.item)}` }, c.item)), h('td', {}, c.kind),
          h('td', { class: 'source' }, sourceName(c.source)), h('td', { class: 'lang' }, c.lang || '—'),
          h('td', {}, c.standard || ''), h('td', {}, c.state), h('td', {}, when(c.created_at))))))));
  } catch (e) {
    out.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e)));
  }
}

/*---- One case --------------------------------------------------------------*/

function decideForm(c) {
  const action = select(DECISION_ACTIONS, 'remove');
  const standard = h('input', { name: 'standard', value: c.standard || '' });
  const countries = h('input', { name: 'countries', placeholder: 'PK or PK,IN' });
  const basis = h('input', { name: 'legal_basis' });
  const statement = h('textarea', { name: 'statement', required: true, maxlength: 5000 });
  const msg = status();
  const restrictOnly = h('div', { hidden: true }, ...field('Countries (restrict only)', countries),
                         ...field('Legal basis (restrict only)', basis));
  // a template to start from, per action and standard; the reviewer edits it
  const template = () => {
    if (statement.value && statement.dataset.template !== statement.value) return;
    const s = standard.value || 'the community standards';
    const words = {
      remove: `Removed: the content breaks our community standard "${s}".`,
      label: `Labelled: the content touches our community standard "${s}".`,
      suspend_account: `Account suspended: repeated breaches of our community standard "${s}".`,
      restrict: 'Restricted in the country named: the content is unlawful there under the legal basis given.',
      none: 'No action: the content does not break our community standards.',
    }[action.value] || '';
    statement.value = statement.dataset.template = words;
  };
  action.addEventListener('change', () => { restrictOnly.hidden = action.value !== 'restrict'; template(); });
  standard.addEventListener('change', template);
  template();
  const form = h('form', { id: 'decide', onsubmit: async (ev) => {
    ev.preventDefault();
    msg.className = '';
    msg.textContent = 'Saving…';
    try {
      const body = { action: action.value, statement: statement.value };
      if (standard.value) body.standard = standard.value;
      if (action.value === 'restrict') { body.countries = countries.value; body.legal_basis = basis.value; }
      await call('POST', `/v1/cases/${c.id}/decide`, body);
      msg.className = 'done';
      msg.textContent = `Case #${c.id} decided.`;
      form.querySelector('button').disabled = true;
    } catch (e) {
      msg.className = 'error';
      msg.textContent = `Not decided: ${errorText(e)}`;
    }
  } }, h('h2', {}, 'Decide'), ...field('Action', action), ...field('Standard', standard), restrictOnly,
     ...field('Statement of reasons', statement), h('button', { type: 'submit' }, 'Decide'), msg);
  return form;
}

// The item's text with the matches marked: the text arbiter keeps as
// evidence when the case has it (c.text), else a box the reviewer pastes the
// text into from the platform; pasted text stays in this page.
function itemText(c, spans) {
  if (typeof c.text === 'string')
    return [h('h2', {}, 'Item text'), h('div', { id: 'highlighted' }, highlighted(c.text, spans))];
  const text = h('textarea', { id: 'item-text', dir: 'auto' });
  const shown = h('div', { id: 'highlighted' });
  text.addEventListener('input', () => shown.replaceChildren(text.value ? highlighted(text.value, spans) : ''));
  return [...field('Item text (paste it to see the matches; it is not sent anywhere)', text), shown];
}

// One line of "What fired". A text match gives its bytes; a URL-list match
// gives the link (or the URL's bytes in the text), the list and the entry; a
// bank match gives the image, the bank, the entry's hash (shortened, whole
// in its title and for screen readers) and the distance, and the rotation
// or mirror of the image that came nearest.
function hashShort(hex) {
  return h('code', { class: 'hash', title: hex, 'aria-label': hex }, `${hex.slice(0, 12)}…`);
}
function fired(d) {
  const rule = d.rule || d.standard || 'match';
  if (!d.list) return h('li', {}, `${rule}: bytes ${d.start} to ${d.end}`);
  const onList = [' is on the list ', h('strong', {}, d.list), ' (entry ', h('code', {}, d.entry), ')'];
  if (Number.isInteger(d.link))
    return h('li', { class: 'fired-link' }, `${rule}: link ${d.link + 1} `,
      typeof d.url === 'string' ? h('code', { class: 'url', dir: 'ltr' }, d.url) : '', ...onList);
  if (Number.isInteger(d.start))
    return h('li', { class: 'fired-link' }, `${rule}: the URL at bytes ${d.start} to ${d.end} of the text`,
      ...onList);
  const image = Number.isInteger(d.image) ? `image ${d.image + 1}` : `image hash ${d.image_hash + 1}`;
  const variant = d.variant && d.variant !== 'original' ? ` (as ${d.variant})` : '';
  return h('li', { class: 'fired-image' }, `${rule}: ${image}${variant} is ${d.distance} bits from `,
    'the bank ', h('strong', {}, d.list), ' entry ', hashShort(d.entry));
}

function escalateForm(c) {
  const reason = h('textarea', { name: 'reason', required: true, maxlength: 5000 });
  const msg = status();
  const form = h('form', { id: 'escalate', onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      await call('POST', `/v1/cases/${c.id}/escalate`, { reason: reason.value });
      msg.className = 'done';
      msg.textContent = `Case #${c.id} is back in the queue, ahead of ordinary work.`;
      form.querySelector('button').disabled = true;
    } catch (e) {
      msg.className = 'error';
      msg.textContent = `Not escalated: ${errorText(e)}`;
    }
  } }, h('h2', {}, 'Escalate'), ...field('Why it needs another look', reason),
     h('button', { type: 'submit', class: 'secondary' }, 'Escalate'), msg);
  return form;
}

// Keys for the common actions on a case page (not while typing):
// a assign to me, d go to the decision, e go to escalation.
function caseKeys(assign) {
  const onKey = (ev) => {
    if (!location.hash.startsWith('#/case/')) { document.removeEventListener('keydown', onKey); return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(ev.target.tagName)) return;
    const to = { a: () => assign.click(), d: () => document.querySelector('#decide select')?.focus(),
                 e: () => document.querySelector('#escalate textarea')?.focus() }[ev.key];
    if (to) { ev.preventDefault(); to(); }
  };
  document.addEventListener('keydown', onKey);
}

async function casePage(id) {
  show(`Case #${id}`, h('p', {}, 'Loading…'));
  let c;
  try {
    c = await call('GET', `/v1/cases/${seg(id)}`);
  } catch (e) {
    show(`Case #${id}`, failure(e));
    return;
  }
  if (c.kind === 'appeal') { appealPage(c.id, me); return; }
  const rules = Array.isArray(c.detail) ? c.detail.filter((d) => d && (d.rule || d.standard)) : [];
  const spans = rules.filter((d) => Number.isInteger(d.start));
  const assign = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    try { await call('POST', `/v1/cases/${c.id}/assign`, {}); assign.textContent = 'Assigned to you'; }
    catch (e) { assign.textContent = `Not assigned: ${errorText(e)}`; }
  } }, 'Assign to me');
  show(`Case #${c.id}: ${c.kind}`,
    h('dl', {}, h('dt', {}, 'Item'), h('dd', { dir: 'auto' }, h('a', { href: `#/item/${seg(c.item)}` }, c.item)),
      h('dt', {}, 'State'), h('dd', { id: 'case-state' }, c.state),
      h('dt', {}, 'Standard'), h('dd', {}, c.standard || ''),
      h('dt', {}, 'Opened'), h('dd', {}, when(c.created_at)),
      h('dt', {}, 'Assignee'), h('dd', {}, c.assignee || 'nobody')),
    h('h2', {}, 'What fired'),
    rules.length ? h('ul', { id: 'matches' }, rules.map(fired)) :
      h('p', {}, 'Reported by a notice, not by a rule.'),
    ...itemText(c, spans),
    c.state === 'decided' ? h('p', {}, `Decided ${when(c.decided_at)}.`) :
      [h('p', { class: 'keys' }, 'Keys: a assign to me, d decide, e escalate.'), assign,
       decideForm(c), escalateForm(c)],
    h('h2', {}, 'Decisions about this item'), decisionsTable(c.decisions),
    h('p', {}, h('a', { href: `#/item/${seg(c.item)}` }, `Everything about ${c.item}`)));
  if (c.state !== 'decided') caseKeys(assign);
}

/*---- Legal requests ------------------------------------------------------*/

function fileRequestForm() {
  const name = h('input', { required: true });
  const country = h('input', { required: true, pattern: '[A-Z]{2}', placeholder: 'PK' });
  const branch = select(['court', 'prosecutor', 'police', 'regulator', 'ministry_executive', 'other'], 'court');
  const kind = select(['content_restriction', 'user_data', 'preservation', 'emergency'], 'content_restriction');
  const instrument = h('input', { required: true });
  const provision = h('input', { required: true });
  const items = h('textarea', { required: true, placeholder: 'one item id or URL a line' });
  const doc = h('input', { type: 'file' });
  const msg = status();
  return h('form', { id: 'file-request', onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const body = {
        authority: { name: name.value, country: country.value, branch: branch.value },
        legal_basis: { instrument: instrument.value, provision: provision.value },
        kind: kind.value, received_at: new Date().toISOString().slice(0, 19) + 'Z',
        items: items.value.split('\n').map((s) => s.trim()).filter(Boolean)
          .map((id) => (/^https?:\/\//.test(id) ? { id, url: id } : { id })),
      };
      // the order itself stays with legal staff: only its SHA-256 is filed
      if (doc.files.length) body.document_hash = `sha256:${await sha256(doc.files[0])}`;
      const r = await call('POST', '/v1/requests', body);
      location.hash = `#/request/${r.id}`;
    } catch (e) {
      msg.className = 'error';
      msg.textContent = `Not filed: ${errorText(e)}`;
    }
  } }, h('h2', {}, 'File a legal request'), ...field('Authority', name),
     ...field('Country (ISO 3166, two letters)', country), ...field('Branch', branch),
     ...field('Kind', kind), ...field('Legal instrument', instrument), ...field('Provision', provision),
     ...field('Items (one id or URL a line)', items),
     ...field('Order document (hashed in this browser; the file is not sent)', doc),
     h('button', { type: 'submit' }, 'File'), msg);
}

async function sha256(file) {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// "due in 2 d 4 h", "overdue by 3 h", or why there is no clock.
function countdown(r) {
  if (!Number.isInteger(r.deadline_at)) return h('span', {}, 'no legal deadline on record');
  const open = r.status === 'received' || r.status === 'in_legal_review';
  if (!open) return h('span', {}, `was due ${when(r.deadline_at)}`);
  const s = r.deadline_at - Math.floor(Date.now() / 1000);
  const a = Math.abs(s), d = Math.floor(a / 86400), hr = Math.floor((a % 86400) / 3600);
  const span = d ? `${d} d ${hr} h` : hr ? `${hr} h ${Math.floor((a % 3600) / 60)} min` : `${Math.floor(a / 60)} min`;
  return s < 0 ? h('strong', { class: 'overdue' }, `overdue by ${span}`)
               : h('span', { class: 'due' }, `due in ${span}`);
}

async function requestsPage() {
  const out = h('div', {}, 'Loading…');
  show('Legal requests', out, fileRequestForm());
  try {
    const list = await call('GET', '/v1/requests');
    const rows = Array.isArray(list) ? list : (list.requests || []);
    out.replaceChildren(rows.length === 0 ? h('p', {}, 'No legal requests.') :
      h('table', { id: 'requests' }, h('thead', {}, h('tr', {}, ['Request', 'Authority', 'Country',
        'Kind', 'Status', 'Deadline', 'Sign-off'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows.map((r) => h('tr', {},
          h('td', {}, h('a', { href: `#/request/${r.id}` }, `#${r.id}`)),
          h('td', { dir: 'auto' }, r.authority?.name ?? r.authority ?? ''),
          h('td', {}, r.authority?.country ?? r.country ?? ''), h('td', {}, r.kind || ''),
          h('td', {}, r.status || ''), h('td', { class: 'deadline' }, countdown(r)),
          h('td', { class: 'awaiting' }, r.awaiting_sign_off ?
            `${r.awaiting_sign_off} awaiting a second reviewer` : '—'))))));
  } catch (e) {
    out.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e)));
  }
}

// Four eyes: what an item's row says about its proposal, and for a legal
// reviewer other than the proposer, sign-off and reject (with a reason).
function signOffCell(r, i, reload) {
  const item = i.id ?? i.item;
  if (i.outcome) return h('td', { class: 'signoff' }, i.signed_off_by ? `signed off by ${i.signed_off_by}` : '—');
  if (!i.proposed_outcome)
    return h('td', { class: 'signoff' }, i.last_rejection ? `last proposal rejected: ${i.last_rejection}` : '—');
  const msg = status();
  const act = async (path, body, done) => {
    try {
      await call('POST', `/v1/requests/${seg(r.id)}/${path}`, body);
      say(msg, true, done);
      reload();
    } catch (e) {
      say(msg, false, `${path === 'sign-off' ? 'Not signed off' : 'Not rejected'}: ${errorText(e)}`);
    }
  };
  const mine = me && me.login === i.proposed_by;
  const reason = h('input', { required: true, maxlength: 1000, dir: 'auto' });
  const controls = mine ? h('p', { class: 'mine' }, 'You proposed it: another legal reviewer must sign it off.') :
    h('div', { class: 'signoff-actions' },
      h('button', { type: 'button', 'aria-label': `Sign off ${item}`,
                    onclick: () => act('sign-off', { item }, `${item}: signed off; it takes effect.`) }, 'Sign off'),
      h('form', { class: 'reject', onsubmit: (ev) => {
        ev.preventDefault();
        act('reject', { item, reason: reason.value }, `${item}: proposal rejected.`);
      } }, ...field(`Reason to reject ${item}'s proposal`, reason),
        h('button', { type: 'submit', class: 'secondary', 'aria-label': `Reject ${item}` }, 'Reject')));
  return h('td', { class: 'signoff' },
    h('p', { class: 'awaiting' }, h('strong', {}, 'Awaiting sign-off by a second reviewer: '),
      `${i.proposed_outcome} proposed by ${i.proposed_by} ${when(i.proposed_at)}`,
      i.proposed_reason ? ` (${i.proposed_reason})` : ''),
    controls, msg);
}

async function requestPage(id) {
  let r;
  try { r = await call('GET', `/v1/requests/${seg(id)}`); }
  catch (e) { show(`Legal request #${id}`, h('p', { class: 'error', role: 'alert' }, errorText(e))); return; }
  const items = r.items || [];
  const item = select(items.map((i) => i.id ?? i.item), undefined);
  const outcome = select(REQUEST_OUTCOMES, 'restrict');
  const reason = select(DECLINE_REASONS, 'no_legal_basis');
  const standard = h('input', {});
  const statement = h('textarea', { maxlength: 5000 });
  const msg = status();
  const form = h('form', { id: 'decide-item', onsubmit: async (ev) => {
    ev.preventDefault();
    const body = { item: item.value, outcome: outcome.value };
    if (outcome.value === 'decline') body.reason = reason.value;
    if (outcome.value === 'remove' && standard.value) body.standard = standard.value;
    if (statement.value) body.statement = statement.value;
    try {
      const after = await call('POST', `/v1/requests/${seg(id)}/decide`, body);
      const row = (after.items || []).find((i) => (i.id ?? i.item) === body.item);
      await requestPage(id);
      const line = document.querySelector('#decide-item [role=status]');
      if (line) say(line, true, row && row.proposed_outcome ?
        `${body.item}: ${body.outcome} proposed; it takes effect when a second legal reviewer signs it off.` :
        `${body.item}: ${body.outcome}.`);
    } catch (e) {
      msg.className = 'error';
      msg.textContent = `Not decided: ${errorText(e)}`;
    }
  } }, h('h2', {}, r.four_eyes ? 'Propose an outcome for an item' : 'Decide an item'),
     ...field('Item', item), ...field('Outcome', outcome),
     ...field('Reason (decline)', reason), ...field('Standard (remove)', standard),
     ...field('Statement', statement), h('button', { type: 'submit' }, r.four_eyes ? 'Propose' : 'Decide'), msg);
  show(`Legal request #${r.id ?? id}`,
    h('dl', {}, h('dt', {}, 'Authority'), h('dd', { dir: 'auto' }, r.authority?.name ?? r.authority ?? ''),
      h('dt', {}, 'Country'), h('dd', {}, r.authority?.country ?? r.country ?? ''),
      h('dt', {}, 'Kind'), h('dd', {}, r.kind || ''), h('dt', {}, 'Status'), h('dd', { id: 'request-status' }, r.status || ''),
      h('dt', {}, 'Deadline'), h('dd', { id: 'deadline' }, countdown(r)),
      h('dt', {}, 'Order document'), h('dd', { id: 'document-hash' }, r.document_hash || 'no hash filed')),
    r.four_eyes ? h('p', { id: 'four-eyes', class: 'note' }, 'Four-eyes review: the policy asks for a second ' +
      'legal reviewer on this kind of request. An outcome chosen here is proposed, and takes effect only ' +
      'when a different legal reviewer signs it off.') : null,
    scroller(h('table', { id: 'request-items' }, h('caption', { class: 'skip' }, 'Items of this request'),
      h('thead', {}, h('tr', {}, ['Item', 'Outcome', 'User notice', 'Sign-off']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, items.map((i) => h('tr', { 'data-item': i.id ?? i.item }, h('td', { dir: 'auto' }, i.id ?? i.item),
        h('td', { class: 'outcome' }, i.outcome || (i.proposed_outcome ? `pending (${i.proposed_outcome} proposed)` : 'pending')),
        h('td', { class: 'notice' }, i.notice ? (i.notice === 'withheld' ? 'withheld (legal basis)' : i.notice)
                                              : '—'),
        signOffCell(r, i, () => requestPage(id))))))),
    form);
}

/*---- Router ------------------------------------------------------------------*/

async function route() {
  if (!me) me = await session().catch(() => null);
  setChrome();
  if (!me) { signInPage(); return; }
  const [path, query] = location.hash.slice(1).split('?');
  const parts = path.split('/').filter(Boolean);
  const params = new URLSearchParams(query || '');
  if (parts[0] === 'case' && parts[1]) return casePage(decodeURIComponent(parts[1]));
  if (parts[0] === 'requests') return requestsPage();
  if (parts[0] === 'request' && parts[1]) return requestPage(decodeURIComponent(parts[1]));
  if (parts[0] === 'appeals') return appealsPage(params);
  if (parts[0] === 'appeal' && parts[1]) return appealPage(decodeURIComponent(parts[1]), me);
  if (parts[0] === 'item' && parts[1]) return itemPage(decodeURIComponent(parts[1]), me);
  if (parts[0] === 'audit') return auditPage();
  if (parts[0] === 'transparency') return transparencyPage(params);
  return queuePage(params);
}

signoutButton.addEventListener('click', async () => {
  await signOut().catch(() => {});
  me = null;
  location.hash = '';
  route();
});
window.addEventListener('hashchange', route);
route();
