// worldmap.js - an item's visibility per country as a small world map: an
// inline SVG tile grid (worldgrid.js, one labelled tile per ISO 3166-1
// country, placed roughly by geography), drawn from the same answers as the
// visibility table beside it, which stays the text alternative. Restricted
// countries are highlighted; a global removal colours every tile. Nothing
// is fetched: no map tiles, no fonts, no internet.
import { GRID, TILES } from './worldgrid.js';

const NS = 'http://www.w3.org/2000/svg';
const TILE = 22; // user units per cell; the SVG scales to its box
const GAP = 2;

function el(tag, attrs = {}, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const WORDS = { visible: 'visible', restricted: 'restricted', removed: 'removed' };

// stateOf(cc) -> 'visible' | 'restricted' | 'removed' for every country code;
// `summary` is one sentence for the SVG's description.
export function worldMap(item, stateOf, summary) {
  const w = GRID.cols * TILE, hgt = GRID.rows * TILE;
  const svg = el('svg', { id: 'world-map', viewBox: `0 0 ${w} ${hgt}`, role: 'img',
                          'aria-labelledby': 'world-map-title world-map-desc', class: 'world-map' });
  svg.append(el('title', { id: 'world-map-title' }, `World map: where ${item} can be seen`),
             el('desc', { id: 'world-map-desc' }, `${summary} The table beside the map lists the ` +
                'same, country by country.'));
  const counts = { visible: 0, restricted: 0, removed: 0 };
  for (const [cc, [x, y]] of Object.entries(TILES)) {
    const state = WORDS[stateOf(cc)] || 'visible';
    counts[state]++;
    const g = el('g', { class: `tile tile-${state}`, 'data-country': cc, 'data-state': state });
    g.append(el('rect', { x: x * TILE + GAP / 2, y: y * TILE + GAP / 2, width: TILE - GAP,
                          height: TILE - GAP, rx: 2 }),
             el('text', { x: x * TILE + TILE / 2, y: y * TILE + TILE / 2 + 3.5,
                          'text-anchor': 'middle' }, cc));
    svg.append(g);
  }
  svg.dataset.counts = `${counts.visible},${counts.restricted},${counts.removed}`;
  return svg;
}

// The key under the map: the three states as the tiles draw them.
export function mapLegend() {
  const key = (state, text) => {
    const s = el('svg', { width: 14, height: 14, viewBox: '0 0 14 14', 'aria-hidden': 'true',
                          class: `world-map tile-${state}` });
    s.append(el('rect', { x: 0, y: 0, width: 14, height: 14, rx: 2 }));
    const li = document.createElement('li');
    li.append(s, ` ${text}`);
    return li;
  };
  const ul = document.createElement('ul');
  ul.className = 'map-legend';
  ul.append(key('visible', 'visible'), key('restricted', 'restricted in that country'),
            key('removed', 'removed'));
  return ul;
}
