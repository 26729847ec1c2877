// api.js - the console's one way to call arbiterd: same-origin fetch with the
// session cookie, the session's CSRF token on every POST/PUT/DELETE, and
// errors thrown as ApiError carrying the server's {code, message, field}.
let csrf = null;

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || 'error';
    this.field = e.field || '';
  }
}

export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let doc = null;
  try { doc = text ? JSON.parse(text) : null; } catch { doc = null; }
  if (!res.ok) throw new ApiError(res.status, doc);
  return doc;
}

// The signed-in session, or null. Keeps its CSRF token in memory only.
export async function session() {
  try {
    const s = await call('GET', '/v1/session');
    csrf = s.csrf_token;
    return s;
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function signIn(login, password) {
  const s = await call('POST', '/v1/session', { login, password });
  csrf = s.csrf_token;
  return s;
}

export async function signOut() {
  await call('DELETE', '/v1/session');
  csrf = null;
}

export const q = (params) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) u.set(k, v);
  const s = u.toString();
  return s ? `?${s}` : '';
};
export const seg = encodeURIComponent;
