// appeals.js - the appeals pages: the list of appeal cases (#/appeals) and
// one appeal (#/appeal/7, 7 being the appeal's case id), where the decision
// appealed and its statement of reasons sit beside the appellant's grounds.
// The API decides who may decide an appeal (someone other than the original
// decider); the page says so beforehand and shows the API's refusal if it
// comes anyway.
import { call, q, seg } from './api.js';
import { h, field, when } from './dom.js';
import { show, failure, status, say, select, table, scroller, decisionsTable } from './ui.js';

const DECIDERS = ['moderator', 'legal']; // the roles the API lets decide

export async function appealsPage(params) {
  const wanted = params.get('state') ?? 'open';
  const state = select(['open', 'assigned', 'decided', ''], wanted === 'any' ? '' : wanted);
  state.options[3].textContent = 'any';
  const filters = h('form', { class: 'filters', onsubmit: (ev) => {
    ev.preventDefault();
    location.hash = `#/appeals${q({ state: state.value || 'any' })}`;
  } }, h('div', {}, ...field('State', state)), h('button', { type: 'submit' }, 'Filter'));
  const out = h('div', { 'aria-live': 'polite' }, 'Loading…');
  show('Appeals', filters, out);
  try {
    const cases = await call('GET', `/v1/cases${q({ kind: 'appeal', state: state.value })}`);
    out.replaceChildren(cases.length === 0 ? h('p', { id: 'empty' }, 'No appeals.') :
      scroller(table('appeals', 'Appeal cases, oldest first',
        ['Appeal', 'Item', 'Standard', 'State', 'Filed', 'Deadline'],
        cases.map((c) => h('tr', { 'data-case': c.id },
          h('td', {}, h('a', { href: `#/appeal/${c.id}` }, `Appeal #${c.id}`)),
          h('td', { dir: 'auto' }, h('a', { href: `#/item/${seg(c.item)}` }, c.item)),
          h('td', {}, c.standard || ''), h('td', {}, c.state), h('td', {}, when(c.created_at)),
          h('td', {}, when(c.deadline_at)))))));
  } catch (e) {
    out.replaceChildren(failure(e));
  }
}

function decideAppealForm(c, me) {
  const outcome = select(['upheld', 'reversed'], 'upheld');
  const statement = h('textarea', { required: true, maxlength: 5000 });
  const msg = status();
  const ownDecision = c.appeal.original_by && c.appeal.original_by === me.login;
  const form = h('form', { id: 'decide-appeal', onsubmit: async (ev) => {
    ev.preventDefault();
    say(msg, true, 'Saving…');
    try {
      await call('POST', `/v1/appeals/${c.id}/decide`, { outcome: outcome.value, statement: statement.value });
      say(msg, true, `Appeal #${c.id} ${outcome.value}.`);
      appealPage(c.id, me); // shows the outcome and the new decision
    } catch (e) {
      say(msg, false, `Not decided: ${e.message}`);
    }
  } }, h('h2', {}, 'Decide the appeal'),
     ownDecision ? h('p', { class: 'note', id: 'own-decision' },
       'You made the decision appealed: the appeal goes to someone else.') : null,
     ...field('Outcome (upheld keeps the decision; reversed undoes it)', outcome),
     ...field('Statement of reasons', statement), h('button', { type: 'submit' }, 'Decide'), msg);
  return form;
}

function originalDecision(c) {
  const a = c.appeal;
  const d = (c.decisions || []).find((x) => x.id === a.decision) || {};
  return h('section', { id: 'original', 'aria-labelledby': 'original-h' },
    h('h2', { id: 'original-h' }, `The decision appealed (#${a.decision})`),
    h('dl', {}, h('dt', {}, 'Action'), h('dd', {}, `${d.action || '?'} (${d.scope || '?'})`),
      h('dt', {}, 'Ground'), h('dd', { dir: 'auto' }, d.ground || ''),
      h('dt', {}, 'Decided by'), h('dd', {}, a.original_by || 'automation'),
      h('dt', {}, 'Decided'), h('dd', {}, when(d.decided_at))),
    h('h3', {}, 'Statement of reasons'),
    h('p', { class: 'quote', dir: 'auto' }, a.original_statement || d.statement || '(none)'));
}

function grounds(c) {
  const a = c.appeal;
  return h('section', { id: 'grounds', 'aria-labelledby': 'grounds-h' },
    h('h2', { id: 'grounds-h' }, 'The appeal'),
    h('dl', {}, h('dt', {}, 'Appellant'), h('dd', {}, a.appellant_kind),
      h('dt', {}, 'Filed'), h('dd', {}, when(a.filed_at)),
      h('dt', {}, 'Outcome'), h('dd', { id: 'appeal-outcome' }, a.outcome || 'pending'),
      a.decided_at ? [h('dt', {}, 'Decided'), h('dd', {}, when(a.decided_at))] : null),
    h('h3', {}, 'Grounds'), h('p', { class: 'quote', dir: 'auto' }, a.grounds));
}

export async function appealPage(id, me) {
  let c;
  try {
    c = await call('GET', `/v1/cases/${seg(id)}`);
  } catch (e) {
    show(`Appeal #${id}`, failure(e));
    return;
  }
  if (c.kind !== 'appeal' || !c.appeal) {
    show(`Case #${c.id} is not an appeal`, h('p', {}, h('a', { href: `#/case/${c.id}` }, `Open case #${c.id}`)));
    return;
  }
  const open = c.state !== 'decided';
  show(`Appeal #${c.id}`,
    h('dl', {}, h('dt', {}, 'Item'), h('dd', { dir: 'auto' }, h('a', { href: `#/item/${seg(c.item)}` }, c.item)),
      h('dt', {}, 'State'), h('dd', { id: 'case-state' }, c.state),
      h('dt', {}, 'Deadline'), h('dd', {}, when(c.deadline_at) || 'none')),
    h('div', { class: 'side-by-side' }, originalDecision(c), grounds(c)),
    open && DECIDERS.includes(me.role) ? decideAppealForm(c, me) : null,
    open && !DECIDERS.includes(me.role) ? h('p', {}, 'A moderator or a legal reviewer decides appeals.') : null,
    h('h2', {}, 'Decisions about this item'), decisionsTable(c.decisions));
}
