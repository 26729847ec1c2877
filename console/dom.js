// dom.js - build elements from data with textContent only (never innerHTML),
// so nothing from the server or an item can become markup.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

let ids = 0;
// A labelled control: <label for=id>text</label><control id=id>.
export function field(text, control) {
  const id = control.id || `f${++ids}`;
  control.id = id;
  return [h('label', { for: id }, text), control];
}

export function when(unix) {
  return unix ? new Date(unix * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '';
}

// The item's text with its matches marked. start/end are byte offsets into
// the UTF-8 text, as the engine reports them; an offset that does not fall
// on a character boundary inside the text is skipped, never guessed at.
export function highlighted(text, spans) {
  const bytes = new TextEncoder().encode(text);
  const dec = new TextDecoder('utf-8', { fatal: true });
  const box = h('div', { class: 'text', dir: 'auto' });
  const ok = (s) => { if (s.start < 0 || s.end > bytes.length || s.start >= s.end) return false;
    try { dec.decode(bytes.subarray(0, s.start)); dec.decode(bytes.subarray(s.start, s.end)); return true; }
    catch { return false; } };
  const sorted = spans.filter(ok).sort((a, b) => a.start - b.start);
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) continue; /* overlapping: the earlier span wins */
    box.append(dec.decode(bytes.subarray(at, s.start)));
    box.append(h('mark', { title: s.rule || '' }, dec.decode(bytes.subarray(s.start, s.end))));
    at = s.end;
  }
  box.append(dec.decode(bytes.subarray(at)));
  return box;
}
