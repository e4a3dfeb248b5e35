// Copyright 2026 The appoint developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// What every page shares: translations, the API client, building elements
// (never from HTML strings: no innerHTML anywhere, so nothing a customer
// typed can become markup), dates in the reader's zone, field errors from
// a problem+json answer, and the staff log-in.
//
// Translatable text is written as a call of _ with a plain double-quoted
// literal (escapes \" \\ \n only), and plurals as n_ with two: xgettext
// reads these files for po/, and appointd finds the same calls to serve
// /i18n/LANG (src/web/ap-web-i18n.c).

let strings = {};
let plurals = {};
let lang = 'en-GB';

export const LANGUAGES = [
  { tag: 'en-GB', name: 'English' },
  { tag: 'de', name: 'Deutsch' },
  { tag: 'cy', name: 'Cymraeg' },
];

export function _(text) {
  return Object.prototype.hasOwnProperty.call(strings, text) ? strings[text] : text;
}

// n_("%s minute", "%s minutes", n): the form the reader's language uses
// for n. The server gives, per text, its forms and which one each n below
// 200 takes; beyond, the last two digits decide (src/web/ap-web-i18n.c)
export function n_(one, many, n) {
  const p = Object.prototype.hasOwnProperty.call(plurals, one) ? plurals[one] : null;
  const count = Math.abs(Math.trunc(Number(n))) || 0;
  if (!p) return count === 1 ? one : many;
  const i = count < 200 ? count : 100 + (count % 100);
  return p.forms[p.index[i]] ?? many;
}

// "%s" and "%1$s" placeholders, as in the po/ catalogue
export function format(template, ...args) {
  let i = 0;
  return template.replace(/%(?:(\d+)\$)?s/g, (_m, n) => String(args[n ? Number(n) - 1 : i++] ?? ''));
}

export function currentLanguage() {
  return lang;
}

// the language chosen on this device, or the browser's first
function preferredLanguage() {
  const stored = localStorage.getItem('appoint.lang');
  if (stored) return stored;
  return (navigator.languages && navigator.languages[0]) || navigator.language || 'en-GB';
}

export async function loadTranslations(tag = preferredLanguage()) {
  const answer = await fetch(`/i18n/${encodeURIComponent(tag.replace(/[^A-Za-z-]/g, '') || 'en')}`);
  if (answer.ok) {
    const doc = await answer.json();
    strings = doc.strings || {};
    plurals = doc.plurals || {};
    lang = doc.lang || 'en-GB';
  }
  document.documentElement.lang = lang;
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = _("Skip to content");
}

export function setLanguage(tag) {
  localStorage.setItem('appoint.lang', tag);
  location.reload();
}

// -- elements -------------------------------------------------------------

// h('button', {class: 'primary', onclick: f}, 'Book'): attributes starting
// with "on" are listeners, `dataset` and `aria` objects spread, false and
// null leave the attribute out; children are nodes or text
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'value' && 'value' in el) {
      el.value = value;
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function main() {
  return document.getElementById('main');
}

// replaces the page's content, moves focus there (screen readers hear the
// new view) and sets the document title
export function show(title, ...children) {
  document.title = title ? `${title} · appoint` : 'appoint';
  const m = clear(main(), ...children);
  m.focus({ preventScroll: true });
  window.scrollTo(0, 0);
  return m;
}

let nextId = 0;
export function uid(prefix = 'f') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

// a labelled field: {label, name, type, value, required, hint, options,
// autocomplete, rows}; the input is .input, the error slot .error
export function field(spec) {
  const id = spec.id || uid(spec.name || 'f');
  const hintId = spec.hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  let input;
  const common = {
    id,
    name: spec.name,
    required: spec.required || false,
    autocomplete: spec.autocomplete || null,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' '),
  };
  if (spec.type === 'select') {
    input = h('select', common,
      (spec.options || []).map((o) => h('option', { value: o.value, selected: String(o.value) === String(spec.value) }, o.label)));
  } else if (spec.type === 'textarea') {
    input = h('textarea', { ...common, rows: spec.rows || 4, maxlength: spec.maxlength || null });
    input.value = spec.value ?? '';
  } else {
    input = h('input', {
      ...common,
      type: spec.type || 'text',
      value: spec.value ?? '',
      maxlength: spec.maxlength || null,
      inputmode: spec.inputmode || null,
      min: spec.min ?? null,
      max: spec.max ?? null,
      step: spec.step ?? null,
    });
  }
  const wrapper = h('div', { class: 'field', dataset: { field: spec.field || spec.name || '' } },
    h('label', { for: id }, spec.label, spec.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null),
    spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null,
    input,
    h('p', { class: 'error', id: errorId, hidden: true }));
  wrapper.input = input;
  wrapper.error = wrapper.querySelector('.error');
  return wrapper;
}

// a message for the whole form, read out when it appears
export function alertBox(kind = 'error') {
  return h('div', { class: `alert alert-${kind}`, role: kind === 'error' ? 'alert' : 'status', hidden: true });
}

export function say(box, text) {
  box.textContent = text || '';
  box.hidden = !text;
}

// -- the API --------------------------------------------------------------

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = token;
}

// api('POST', '/api/v1/bookings', body, {token, headers}): the JSON answer,
// or an ApiError carrying the problem document
export async function api(method, path, body, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (method !== 'GET' && csrfToken && !options.token) headers['X-CSRF-Token'] = csrfToken;
  let answer;
  try {
    answer = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, { detail: _("The service cannot be reached. Check your connection and try again.") });
  }
  const type = answer.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await answer.json().catch(() => null) : null;
  if (!answer.ok) throw new ApiError(answer.status, data);
  return data;
}

// the problem's field errors shown next to their fields, the rest in @box;
// fields are found by data-field (the API's name, such as customer.email)
export function showProblem(form, box, error) {
  for (const el of form.querySelectorAll('.field .error')) {
    el.hidden = true;
    el.textContent = '';
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const problem = (error && error.problem) || {};
  const rest = [];
  let first = null;
  for (const e of problem.errors || []) {
    const f = form.querySelector(`.field[data-field="${CSS.escape(e.field || '')}"]`);
    if (f) {
      const slot = f.querySelector('.error');
      slot.textContent = e.message;
      slot.hidden = false;
      const input = f.querySelector('input, select, textarea');
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        first = first || input;
      }
    } else {
      rest.push(e.field ? `${e.field}: ${e.message}` : e.message);
    }
  }
  const summary = (problem.errors && problem.errors.length && !rest.length)
    ? _("Please correct the fields marked below.")
    : [error && error.message, ...rest].filter(Boolean).join(' ');
  say(box, summary);
  if (first) first.focus();
}

// -- time -----------------------------------------------------------------

export function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/London';
  } catch (e) {
    return 'Europe/London';
  }
}

export function formatDateTime(iso, tz, opts = { dateStyle: 'full', timeStyle: 'short' }) {
  return new Intl.DateTimeFormat(lang, { ...opts, timeZone: tz }).format(new Date(iso));
}

export function formatTime(iso, tz) {
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', timeZone: tz }).format(new Date(iso));
}

export function formatDay(date, tz, opts = { weekday: 'long', day: 'numeric', month: 'long' }) {
  return new Intl.DateTimeFormat(lang, { ...opts, timeZone: tz }).format(date);
}

// YYYY-MM-DD of @date in @tz
export function isoDate(date, tz) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(date);
  const get = (t) => parts.find((p) => p.type === t).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

// YYYY-MM-DD plus @days, in plain calendar arithmetic
export function addDays(isoDay, days) {
  const d = new Date(`${isoDay}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// -- the header and staff log-in -----------------------------------------

// the site header: the store's name, @links [{href, label}], a language
// switcher, and @extra nodes (e.g. a log-out button)
export function header(links = [], ...extra) {
  const el = document.getElementById('site-header');
  const select = h('select', { id: 'language', onchange: (e) => setLanguage(e.target.value) },
    LANGUAGES.map((l) => h('option', { value: l.tag, lang: l.tag, selected: lang.startsWith(l.tag.slice(0, 2)) }, l.name)));
  clear(el,
    h('a', { class: 'brand', href: '/' }, 'appoint'),
    links.length ? h('nav', { 'aria-label': _("Main") }, h('ul', {}, links.map((l) => h('li', {}, h('a', { href: l.href, 'aria-current': l.current ? 'page' : null }, l.label))))) : null,
    h('div', { class: 'header-tools' },
      h('label', { for: 'language', class: 'visually-hidden' }, _("Language")), select, extra));
  return el;
}

// the signed-in user ({id, email, name, role, expert_id, csrf_token}) or
// null; remembers the CSRF token for writes
export async function currentUser() {
  try {
    const me = await api('GET', '/api/v1/auth/me');
    setCsrfToken(me.csrf_token || null);
    return { ...(me.user || {}), csrf_token: me.csrf_token || null };
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

// the log-in form; resolves with the user once signed in
export function login(title, roles) {
  return new Promise((resolve) => {
    const box = alertBox();
    const email = field({ label: _("Email address"), name: 'email', type: 'email', required: true, autocomplete: 'username' });
    const password = field({ label: _("Password"), name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
    const form = h('form', { class: 'card narrow', novalidate: true }, box, email, password,
      h('button', { type: 'submit', class: 'primary' }, _("Sign in")));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        await api('POST', '/api/v1/auth/login', { email: email.input.value, password: password.input.value });
        const me = await currentUser();
        if (roles && !roles.includes(me.role)) {
          say(box, _("This account cannot use this page."));
          return;
        }
        resolve(me);
      } catch (e) {
        showProblem(form, box, e.status === 401 ? new ApiError(401, { detail: _("The email address or password is not right.") }) : e);
      }
    });
    show(title, h('h1', {}, title), form);
    email.input.focus();
  });
}

export async function logout() {
  try {
    await api('POST', '/api/v1/auth/logout', {});
  } finally {
    setCsrfToken(null);
    location.reload();
  }
}

// a signed-in user of one of @roles, asking to sign in first if needed
export async function requireUser(title, roles) {
  const me = await currentUser();
  if (me && (!roles || roles.includes(me.role))) return me;
  return login(title, roles);
}

// a page's start: translations first, then @run; an uncaught failure is
// shown, not left as a blank page
export function start(run) {
  const go = async () => {
    await loadTranslations().catch(() => {});
    try {
      await run();
    } catch (e) {
      console.error(e);
      show(_("Something went wrong"), h('h1', {}, _("Something went wrong")),
        h('p', { role: 'alert' }, e.message || String(e)),
        h('p', {}, h('a', { href: location.href }, _("Try again"))));
    }
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', go);
  else go();
}
