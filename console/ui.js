// ui.js - what every page of the console shares: the page frame (title,
// content, focus), how an error reads, status lines, selects, and the
// table of an item's decisions (the case, appeal and item pages show it).
import { ApiError } from './api.js';
import { h, when } from './dom.js';

const main = document.getElementById('main');

// Replace the page: its <h1>, then the content; focus moves to the page so
// a screen reader announces it and Tab starts inside it.
export function show(title, ...content) {
  document.title = `${title} · arbiter console`;
  main.replaceChildren(h('h1', {}, title), ...content.flat().filter(Boolean));
  main.focus();
}

export function errorText(e) {
  return e instanceof ApiError ? `${e.message}${e.field ? ` (${e.field})` : ''}` : String(e);
}

// A failure as an alert paragraph, for a part of a page that could not load.
export const failure = (e) => h('p', { class: 'error', role: 'alert' }, errorText(e));

export const status = () => h('p', { role: 'status', 'aria-live': 'polite' });

export function say(line, ok, text) {
  line.className = ok ? 'done' : 'error';
  line.textContent = text;
}

export function select(options, value) {
  return h('select', {}, options.map((o) => h('option', { value: o, selected: o === value }, o)));
}

// A table too wide for a phone scrolls inside its own box, never the page.
export const scroller = (table) => h('div', { class: 'scroll', tabindex: 0, role: 'region',
  'aria-label': table.querySelector('caption')?.textContent || 'table' }, table);

export function table(id, caption, heads, rows) {
  return h('table', { id, class: 'wide' }, h('caption', { class: 'skip' }, caption),
    h('thead', {}, h('tr', {}, heads.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows));
}

// Every decision about an item, oldest first, as the API lists them.
export function decisionsTable(decisions) {
  if (!decisions || decisions.length === 0) return h('p', { id: 'no-decisions' }, 'No decisions yet.');
  return scroller(table('decisions', 'Decisions about this item',
    ['Decision', 'Action', 'Scope', 'Ground', 'Source', 'Decided by', 'Time', 'Statement of reasons',
     'Superseded'],
    decisions.map((d) => h('tr', { 'data-decision': d.id, class: d.superseded_by ? 'superseded' : null },
      h('td', {}, `#${d.id}`), h('td', {}, d.action), h('td', {}, d.scope),
      h('td', { dir: 'auto' }, `${d.ground || ''}${d.ground_kind ? ` (${d.ground_kind})` : ''}`),
      h('td', {}, d.source || ''), h('td', {}, d.decided_by || 'automation'),
      h('td', {}, when(d.decided_at)), h('td', { dir: 'auto' }, d.statement || ''),
      h('td', {}, d.superseded_by ? `by #${d.superseded_by}` : 'no')))));
}
