// The explorer page: wires the controls, the API calls, the chart, the table and the live tail.
import { ApiError, apiKey, curlFor, followTail, getJson, setApiKey } from './api.js';
import { Histogram, levelColor } from './chart.js';
import { formatTime, readState, stateQuery, timeWindow } from './state.js';

const PAGE_SIZE = 100;
const LIVE_ROWS_KEPT = 500;
const STATUS_EVERY_MS = 5000;
const $ = (id) => document.getElementById(id);

let state = readState(location.search);
let next = null;            // cursor of the next page
let searchRun = null;       // AbortController of the running search
let liveRun = null;         // AbortController of the live tail
const chart = new Histogram($('histogram'), (from, to) => { state = { ...state, range: 'custom', from, to }; search(); });

function el(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  for (const c of children) if (c != null) e.append(c);
  return e;
}

/** The filters of every request: window, q, and the level/source quick filters. */
function filters(s = state) {
  const w = timeWindow(s);
  return { from: w.from, to: w.to, q: s.q, level: s.level, source: s.source };
}

function showState() {
  $('q').value = state.q;
  $('range').value = state.range;
  $('custom-range').hidden = state.range !== 'custom';
  $('from').value = state.from;
  $('to').value = state.to;
  $('tz').value = state.tz;
  $('live').setAttribute('aria-pressed', String(state.live));
}

function readControls() {
  state = { ...state, q: $('q').value.trim(), range: $('range').value, from: $('from').value.trim(), to: $('to').value.trim(), tz: $('tz').value };
}

async function search({ push = true } = {}) {
  if (searchRun) searchRun.abort();
  const run = (searchRun = new AbortController());
  if (push) history.replaceState(null, '', location.pathname + stateQuery(state));
  showState();
  showError(null);
  const f = filters();
  const withoutLevel = { ...f, level: '' };
  const withoutSource = { ...f, source: '' };
  try {
    const [histogram, sources, page] = await Promise.all([
      getJson('/logs/histogram', { ...withoutLevel, buckets: 60 }, run.signal),
      getJson('/logs/sources', withoutSource, run.signal),
      getJson('/logs', { ...f, limit: PAGE_SIZE }, run.signal),
    ]);
    renderHistogram(histogram);
    renderSources(sources.sources);
    $('rows').tBodies[0].replaceChildren();
    addRows(page.logs, false);
    next = page.next;
    $('more').hidden = !next;
    $('empty').hidden = page.logs.length > 0;
  } catch (e) {
    if (e.name === 'AbortError') return;
    showError(e);
    clearResults(); // what is shown must match the filter in the box: no stale rows under an error
  }
  if (state.live) startLive();
}

function clearResults() {
  $('rows').tBodies[0].replaceChildren();
  $('levels').replaceChildren();
  $('sources').replaceChildren();
  $('total').textContent = '–';
  delete $('total').dataset.total;
  next = null;
  $('more').hidden = true;
  $('empty').hidden = true;
}

function renderHistogram(h) {
  chart.render(h, state.tz);
  const shown = state.level ? (h.levels[state.level] || 0) : h.total;
  $('total').textContent = `${shown.toLocaleString('en')} events` + (state.level ? ` at ${state.level}` : '');
  $('total').dataset.total = String(shown);
  const levels = Object.keys(h.levels);
  $('levels').replaceChildren(...levels.map((level, i) => chip(level, h.levels[level], state.level === level, levelColor(level, i),
    () => { state = { ...state, level: state.level === level ? '' : level }; search(); })));
}

function renderSources(list) {
  $('sources').replaceChildren(...list.map((s) => chip(s.source ?? '(none)', s.count, state.source === s.source, null,
    s.source == null ? null : () => { state = { ...state, source: state.source === s.source ? '' : s.source }; search(); })));
}

function chip(label, count, pressed, color, onClick) {
  const b = el('button', { type: 'button', disabled: !onClick }, label, el('span', { className: 'count', textContent: count.toLocaleString('en') }));
  b.setAttribute('aria-pressed', String(pressed));
  if (color) b.style.borderColor = color;
  if (onClick) b.addEventListener('click', onClick);
  return b;
}

function addRows(logs, live) {
  const body = $('rows').tBodies[0];
  const rows = logs.map((log) => eventRow(log, live));
  if (live) {
    body.prepend(...rows.reverse());
    const liveRows = body.querySelectorAll('tr.live.event');
    for (let i = LIVE_ROWS_KEPT; i < liveRows.length; i++) { closeDetail(liveRows[i]); liveRows[i].remove(); }
    $('empty').hidden = true;
  } else {
    body.append(...rows);
  }
}

function eventRow(log, live) {
  const tr = el('tr', { className: 'event' + (live ? ' live' : ''), tabIndex: 0 },
    el('td', { className: 'time', textContent: formatTime(log.timestamp, state.tz) }),
    el('td', { className: `lvl lvl-${log.level}`, textContent: log.level }),
    el('td', { className: 'source', textContent: log.source ?? '' }),
    el('td', { className: 'message' }, log.message ?? '', el('span', { className: 'src-inline', textContent: log.source ?? '' })));
  tr.dataset.timestamp = log.timestamp;
  tr.setAttribute('aria-expanded', 'false');
  tr.log = log;
  const toggle = () => (tr.getAttribute('aria-expanded') === 'true' ? closeDetail(tr) : openDetail(tr));
  tr.addEventListener('click', toggle);
  tr.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
  return tr;
}

function openDetail(tr) {
  const detail = el('tr', { className: 'detail' }, el('td', { colSpan: 4 }, el('pre', { textContent: JSON.stringify(tr.log.attributes, null, 2) })));
  tr.after(detail);
  tr.setAttribute('aria-expanded', 'true');
}

function closeDetail(tr) {
  if (tr.getAttribute('aria-expanded') !== 'true') return;
  tr.nextElementSibling?.remove();
  tr.setAttribute('aria-expanded', 'false');
}

async function loadMore() {
  if (!next) return;
  try {
    const page = await getJson('/logs', { ...filters(), limit: PAGE_SIZE, cursor: next });
    addRows(page.logs, false);
    next = page.next;
    $('more').hidden = !next;
  } catch (e) { showError(e); }
}

/** A 400 on q shows the message and the character where the filter broke, under the box. */
function showError(e) {
  const box = $('q-error');
  if (!e) { box.hidden = true; box.replaceChildren(); $('q').removeAttribute('aria-invalid'); return; }
  box.hidden = false;
  if (e instanceof ApiError && e.parameter === 'q' && Number.isInteger(e.position)) {
    const q = state.q;
    const at = Math.min(e.position, q.length);
    box.replaceChildren(el('div', {}, q.slice(0, at), el('mark', { textContent: q.slice(at, at + 1) || ' ' }), q.slice(at + 1)),
      el('div', { className: 'position', textContent: `${' '.repeat(at)}^ character ${e.position}: ${e.message}` }));
    $('q').setAttribute('aria-invalid', 'true');
  } else if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
    box.textContent = `${e.message} — enter an API key with the query scope at the top right.`;
  } else {
    box.textContent = e instanceof ApiError && e.parameter ? `${e.parameter}: ${e.message}` : String(e.message || e);
  }
}

function startLive() {
  stopLive();
  const run = (liveRun = new AbortController());
  const f = filters();
  let received = 0;
  let dropped = 0;
  const info = (text) => { $('live-info').textContent = text; };
  info('live: connecting…');
  followTail({ q: f.q, level: f.level, source: f.source }, (name, data) => {
    if (name === 'log') { received++; addRows([data], true); } else if (name === 'dropped') { dropped = data.total; } else if (name === 'end') { info(`live: ended (${data.reason})`); return; }
    info(`live: ${received} new` + (dropped ? `, ${dropped} dropped over the rate cap` : ''));
  }, run.signal).then(() => { if (liveRun === run) info('live: stream closed'); })
    .catch((e) => { if (e.name !== 'AbortError') { info('live: ' + e.message); } });
  info('live: waiting for new events');
}

function stopLive() {
  if (liveRun) { liveRun.abort(); liveRun = null; }
  $('live-info').textContent = '';
}

async function copy(text) {
  const out = $('copy-output');
  out.hidden = false;
  out.textContent = text;
  try { await navigator.clipboard.writeText(text); out.dataset.copied = 'true'; } catch { out.dataset.copied = 'false'; }
}

async function pollStatus() {
  const line = $('status');
  try {
    const s = await getJson('/status', {});
    const last = s.last_flush ? formatTime(s.last_flush.replace(/(\.\d+)?Z$/, 'Z'), state.tz) : 'none yet';
    line.textContent = `backlog ${s.backlog_events.toLocaleString('en')} events (oldest ${s.oldest_pending_seconds} s) · last flush ${last}`
      + ` · ${s.rows_per_second} rows/s · DB ${s.db}` + (s.ingest === 'refusing' ? ` · ingest refusing: ${s.refusal}` : '') + (s.stalled ? ` · ${s.stalled}` : '');
    line.classList.toggle('bad', s.db !== 'up' || s.ingest !== 'accepting' || !!s.stalled);
  } catch (e) {
    line.textContent = 'status: ' + e.message;
    line.classList.add('bad');
  }
}

function wire() {
  $('api-key').value = apiKey();
  $('api-key').addEventListener('change', () => { setApiKey($('api-key').value.trim()); search(); pollStatus(); });
  $('search-form').addEventListener('submit', (e) => { e.preventDefault(); readControls(); search(); });
  $('range').addEventListener('change', () => { readControls(); if (state.range !== 'custom') search(); else { showState(); $('from').focus(); } });
  $('tz').addEventListener('change', () => { readControls(); search(); });
  $('live').addEventListener('click', () => { state = { ...state, live: !state.live }; history.replaceState(null, '', location.pathname + stateQuery(state)); showState(); state.live ? startLive() : stopLive(); });
  $('more').addEventListener('click', loadMore);
  $('copy-curl').addEventListener('click', () => copy(curlFor('/logs', { ...filters(), limit: PAGE_SIZE })));
  $('copy-sql').addEventListener('click', async () => {
    try { copy((await getJson('/logs/sql', { ...filters(), limit: PAGE_SIZE })).sql); } catch (e) { showError(e); }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && !['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement.tagName)) { e.preventDefault(); $('q').focus(); }
  });
  window.addEventListener('popstate', () => { state = readState(location.search); search({ push: false }); });
}

wire();
showState();
search();
pollStatus();
setInterval(pollStatus, STATUS_EVERY_MS);
