// item.js - everything about one item (#/item/post-1): where it can be seen
// (one row per country some decision scoped, one for every other country),
// every decision with its statement, and a form to file an appeal for an
// affected user. Visibility comes from the API (visibility:batch), never
// worked out here, so the page shows what platforms are told.
import { call, seg } from './api.js';
import { h, field } from './dom.js';
import { show, failure, status, say, select, table, scroller, decisionsTable } from './ui.js';
import { worldMap, mapLegend } from './worldmap.js';

const APPELLANTS = ['affected_user', 'notifier', 'authority'];
const FILERS = ['moderator', 'legal', 'admin']; // roles POST /v1/appeals takes
const VISIBILITY_ROLES = ['moderator', 'legal', 'admin'];
// Countries to ask about "everywhere else": the first not scoped by a decision.
const ELSEWHERE = ['US', 'BR', 'JP', 'ZA', 'AU'];

function scopedCountries(decisions) {
  const set = new Set();
  for (const d of decisions)
    if (d.scope && d.scope !== 'global')
      for (const cc of d.scope.split(/[\s,]+/)) if (/^[A-Z]{2}$/.test(cc)) set.add(cc);
  return [...set].sort();
}

async function visibilityTable(item, decisions, me) {
  if (!VISIBILITY_ROLES.includes(me.role))
    return h('p', { id: 'visibility-note' }, 'Visibility look-ups are open to moderators, legal reviewers and admins.');
  const countries = scopedCountries(decisions);
  const other = ELSEWHERE.find((cc) => !countries.includes(cc));
  const asked = [...countries, other];
  let results;
  try {
    const r = await call('POST', '/v1/visibility:batch',
                         { items: asked.map((country) => ({ item, country })) });
    results = r.results;
  } catch (e) {
    return failure(e);
  }
  const state = (cc) => (results.find((x) => x.country === cc) || {}).state || '?';
  const removed = state(other) === 'removed';
  const summary = removed ? 'Removed everywhere.' :
    countries.length ? `Restricted or removed in ${countries.filter((cc) => state(cc) !== 'visible').length}` +
      ` of ${countries.length} countries named by decisions; visible elsewhere.` : 'Visible everywhere.';
  // the map: a scoped country as the API answered for it, any other as the "elsewhere" answer
  const map = worldMap(item, (cc) => (countries.includes(cc) ? state(cc) : state(other)),
                       summary + (countries.length && !removed ? ` Named: ${countries.join(', ')}.` : ''));
  return h('div', {},
    h('p', { id: 'visibility-summary', class: 'summary' }, summary),
    h('div', { class: 'visibility-pair' },
    h('figure', { class: 'map' }, map, h('figcaption', {}, mapLegend())),
    scroller(table('visibility', 'Visibility by country', ['Country', 'State'],
      [...countries.map((cc) => h('tr', { 'data-country': cc }, h('td', {}, cc),
         h('td', { class: `state-${state(cc)}` }, state(cc)))),
       h('tr', { 'data-country': 'other' }, h('td', {}, `Any other country (asked as ${other})`),
         h('td', { class: `state-${state(other)}` }, state(other)))]))));
}

function fileAppealForm(item, decisions) {
  const standing = decisions.filter((d) => !d.superseded_by && d.action !== 'none');
  if (standing.length === 0) return null;
  const decision = h('select', {}, standing.map((d) =>
    h('option', { value: d.id }, `#${d.id}: ${d.action} (${d.scope}), ${d.ground || ''}`)));
  const kind = select(APPELLANTS, 'affected_user');
  const grounds = h('textarea', { required: true, maxlength: 5000, dir: 'auto' });
  const msg = status();
  return h('form', { id: 'file-appeal', onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const r = await call('POST', '/v1/appeals', { decision: Number(decision.value),
        appellant_kind: kind.value, grounds: grounds.value });
      location.hash = `#/appeal/${r.case}`;
    } catch (e) {
      say(msg, false, `Not filed: ${e.message}`);
    }
  } }, h('h2', {}, 'File an appeal for someone'),
     h('p', {}, 'When an affected user or a notifier appeals to staff rather than through the platform.'),
     ...field('Decision appealed', decision), ...field('Appellant', kind),
     ...field('Grounds, in their words', grounds), h('button', { type: 'submit' }, 'File appeal'), msg);
}

export async function itemPage(id, me) {
  show(`Item ${id}`, h('p', {}, 'Loading…'));
  let decisions;
  try {
    decisions = (await call('GET', `/v1/items/${seg(id)}/decisions`)).decisions || [];
  } catch (e) {
    show(`Item ${id}`, failure(e));
    return;
  }
  const visibility = await visibilityTable(id, decisions, me);
  show(`Item ${id}`, h('h2', {}, 'Where it can be seen'), visibility,
    h('h2', {}, 'Decisions'), decisionsTable(decisions),
    FILERS.includes(me.role) ? fileAppealForm(id, decisions) : null);
}
