// The router's HTTP API as the page uses it: JSON GETs, the live tail's event stream, the API key.
const KEY_STORAGE = 'logrouter.apiKey';

export function apiKey() { return sessionStorage.getItem(KEY_STORAGE) || ''; }

export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY_STORAGE, key); else sessionStorage.removeItem(KEY_STORAGE);
}

function authHeaders() {
  const key = apiKey();
  return key ? { Authorization: 'Bearer ' + key } : {};
}

/** A 4xx/5xx answer: status, the error text, and for a 400 the parameter (and q's position). */
export class ApiError extends Error {
  constructor(status, body) {
    super(body.error || `HTTP ${status}`);
    this.status = status;
    this.parameter = body.parameter;
    this.position = body.position;
    this.expected = body.expected;
  }
}

/** name=value pairs without the empty ones. */
export function queryString(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v != null) p.set(k, v);
  const text = p.toString();
  return text ? '?' + text : '';
}

export async function getJson(path, params, signal) {
  const response = await fetch(path + queryString(params), { headers: authHeaders(), signal });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/**
 * Follows GET /logs/tail. fetch rather than EventSource: EventSource cannot send the API key header.
 * Calls onEvent(name, data) per event; resolves when the stream ends.
 */
export async function followTail(params, onEvent, signal) {
  const response = await fetch('/logs/tail' + queryString(params),
    { headers: { ...authHeaders(), Accept: 'text/event-stream' }, signal });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value;
    let end;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(name, JSON.parse(data.join('\n')));
    }
  }
}

const shellQuote = (s) => "'" + String(s).replace(/'/g, `'\\''`) + "'";

/** The curl command of a GET; the key stays out of it (an environment variable stands in). */
export function curlFor(path, params) {
  let cmd = `curl -s --get ${shellQuote(location.origin + path)}`;
  for (const [k, v] of Object.entries(params)) if (v !== '' && v != null) cmd += ` --data-urlencode ${shellQuote(k + '=' + v)}`;
  if (apiKey()) cmd += ' -H "Authorization: Bearer $LOGROUTER_API_KEY"';
  return cmd;
}
