// transparency.js - the transparency page (#/transparency?period=2026H2&country=PK;
// legal, admin, auditor): the report's headline figures read from its JSON
// (schema arbiter.transparency-report/1, docs/TRANSPARENCY.md), the HTML
// report embedded, and downloads. Figures are shown as published: a banded
// count stays "1-9" and a suppressed share stays a dash, so the console
// shows no more than the public report.
import { call, q } from './api.js';
import { h, field } from './dom.js';
import { show, failure, table, scroller } from './ui.js';

export function currentHalf(now = new Date()) {
  return `${now.getUTCFullYear()}H${now.getUTCMonth() < 6 ? 1 : 2}`;
}

const count = (v) => (v === undefined || v === null ? '0' : typeof v === 'number' ? v.toLocaleString('en') : String(v));
const share = (v) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)} %`);
const row = (rows, key, value) => (rows || []).find((r) => r[key] === value) || {};

function headline(t) {
  const requests = row(t.legal_requests_by_kind, 'kind', 'all');
  const actions = (t.automation || [])[0] || {};
  const notices = row(t.notices, 'notifier_kind', 'all');
  const appeals = row(t.appeals, 'appellant_kind', 'all');
  const figures = [
    ['content_actions', 'Content actions taken', count(actions.decisions)],
    ['automated_detection', 'Share detected by automation', share(actions.share_automated_detection)],
    ['legal_requests', 'Legal requests received', count(requests.requests)],
    ['requests_with_action', 'Share of legal requests acted on', share(requests.share_with_action)],
    ['notices', 'Notices received', count(notices.received)],
    ['notices_acted_on', 'Notices acted on', count(notices.acted_on)],
    ['appeals', 'Appeals received', count(appeals.received)],
    ['appeals_reversed', 'Appeals reversed', count(appeals.reversed)],
  ];
  return h('dl', { id: 'headline', class: 'figures' }, figures.map(([key, label, value]) =>
    [h('dt', {}, label), h('dd', { 'data-figure': key }, value)]).flat());
}

function detailTables(t) {
  const actions = t.content_actions_by_action || [];
  const countries = t.content_restrictions_by_country || [];
  return [
    h('h2', {}, 'Content actions by action'),
    actions.length ? scroller(table('by-action', 'Content actions by action and scope',
      ['Action', 'Scope', 'Decisions'], actions.map((r) => h('tr', {},
        h('td', {}, r.action), h('td', {}, r.scope), h('td', {}, count(r.decisions))))))
      : h('p', {}, 'None in this period.'),
    h('h2', {}, 'Restrictions by country'),
    countries.length ? scroller(table('by-country', 'Restrictions by country',
      ['Country', 'Restrictions'], countries.map((r) => h('tr', {},
        h('td', {}, r.country), h('td', {}, count(r.restrictions))))))
      : h('p', {}, 'None in this period.'),
  ];
}

function downloads(period, country) {
  const p = { period, country };
  const link = (text, href, file) => h('li', {}, h('a', { href, download: file }, text));
  const base = `arbiter-${period}${country ? `-${country}` : ''}`;
  return h('ul', { id: 'downloads' },
    link('Report (HTML)', `/v1/reports${q({ ...p, format: 'html' })}`, `${base}-report.html`),
    link('Report (JSON)', `/v1/reports${q({ ...p, format: 'json' })}`, `${base}-report.json`),
    link('Register of orders (CSV)', `/v1/exports/orders${q({ period, format: 'csv' })}`, `arbiter-${period}-orders.csv`),
    link('Statements of reasons (JSON lines)', `/v1/exports/sor${q({ period })}`, `arbiter-${period}-sor.jsonl`));
}

export async function transparencyPage(params) {
  const period = h('input', { name: 'period', value: params.get('period') || currentHalf(),
                              required: true, placeholder: '2026H2' });
  const country = h('input', { name: 'country', value: params.get('country') || '',
                               placeholder: 'all countries', maxlength: 2 });
  const form = h('form', { class: 'filters', id: 'report-filters', onsubmit: (ev) => {
    ev.preventDefault();
    location.hash = `#/transparency${q({ period: period.value.trim(),
                                         country: country.value.trim().toUpperCase() })}`;
  } }, h('div', {}, ...field('Period (2026H2, 2026Q3, 2026-07, 2026)', period)),
     h('div', {}, ...field('Country (optional)', country)), h('button', { type: 'submit' }, 'Show'));
  const out = h('div', { 'aria-live': 'polite' }, 'Loading…');
  show('Transparency report', form, out);
  const p = { period: period.value.trim(), country: country.value.trim().toUpperCase() };
  let r;
  try {
    r = await call('GET', `/v1/reports${q({ ...p, format: 'json' })}`);
  } catch (e) {
    out.replaceChildren(failure(e));
    return;
  }
  const band = r.suppression && r.suppression.threshold > 0 ?
    `Counts from 1 to ${r.suppression.threshold} are shown as "${r.suppression.band}", and shares over ` +
    'so few cases as a dash, so that no figure can point at a person.' : 'No counts are banded.';
  out.replaceChildren(
    h('p', { id: 'report-period' }, `${r.period.label}: ${r.period.start} to ${r.period.end}` +
      (r.country ? `, ${r.country}` : ', all countries') + '.'),
    headline(r.tables || {}), h('p', { class: 'note' }, band),
    ...detailTables(r.tables || {}),
    h('h2', {}, 'Download'), downloads(r.period.label, r.country || ''),
    h('h2', {}, 'The published report'),
    h('iframe', { id: 'report-html', title: `Transparency report ${r.period.label} (HTML)`, sandbox: '',
                  src: `/v1/reports${q({ ...p, format: 'html' })}` }));
}
