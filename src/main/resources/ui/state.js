// The page state: what the URL holds (so a search can be shared) and the time window it means.
export const PRESETS = { '15m': 15 * 60e3, '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3 };
const DEFAULT_RANGE = '1h';

/** Reads the state from a query string: ?q=&range=1h or ?from=&to=, &level=&source=&tz=local&live=1. */
export function readState(search) {
  const p = new URLSearchParams(search);
  const from = p.get('from') || '';
  let range = p.get('range') || (from ? 'custom' : DEFAULT_RANGE);
  if (range !== 'custom' && !(range in PRESETS)) range = DEFAULT_RANGE;
  return {
    q: p.get('q') || '', range, from, to: p.get('to') || '',
    level: p.get('level') || '', source: p.get('source') || '',
    tz: p.get('tz') === 'local' ? 'local' : 'utc', live: p.get('live') === '1',
  };
}

/** The query string of a state; defaults are left out to keep shared links short. */
export function stateQuery(s) {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  if (s.range === 'custom') {
    if (s.from) p.set('from', s.from);
    if (s.to) p.set('to', s.to);
  } else if (s.range !== DEFAULT_RANGE) {
    p.set('range', s.range);
  }
  if (s.level) p.set('level', s.level);
  if (s.source) p.set('source', s.source);
  if (s.tz === 'local') p.set('tz', 'local');
  if (s.live) p.set('live', '1');
  const text = p.toString();
  return text ? '?' + text : '';
}

/** The window to ask the API for: a preset ends now; a custom one is passed as typed (the API parses it). */
export function timeWindow(s, now = Date.now()) {
  if (s.range === 'custom') return { from: s.from, to: s.to };
  return { from: new Date(now - PRESETS[s.range]).toISOString(), to: new Date(now).toISOString() };
}

/** An API time (RFC 3339, UTC, microseconds) for display, in UTC or the browser's zone. */
export function formatTime(iso, tz) {
  if (!iso) return '';
  if (tz === 'utc') return iso.replace('T', ' ').replace('Z', '');
  const micros = (iso.match(/\.(\d+)Z$/) || [, ''])[1];
  const d = new Date(iso);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:`
    + `${pad(d.getSeconds())}${micros ? '.' + micros : ''} ${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}
