// Copyright 2026 The appoint developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The customer-service console (/console): find a booking while the
// customer is on the phone (reference, name, email or phone number however
// it is spaced), read it with its timeline of changes and emails, and move,
// cancel, resend or annotate it. Keyboard first: / searches, j/k or the
// arrow keys move through the results, Enter opens, Escape goes back.

import {
  _, n_, format, h, clear, show, field, alertBox, say, api, ApiError, showProblem,
  formatDateTime, header, requireUser, logout, browserZone, start, uid,
} from './common.js';
import { SlotPicker } from './slot-picker.js';

function staffHeader(me, current) {
  const links = [];
  if (me.role === 'admin') links.push({ href: '/expert', label: _("Calendar"), current: current === 'expert' });
  links.push({ href: '/console', label: _("Console"), current: current === 'console' });
  if (me.role === 'admin') links.push({ href: '/admin', label: _("Admin"), current: current === 'admin' });
  header(links,
    h('span', { class: 'signed-in' }, me.name),
    h('button', { type: 'button', class: 'header-button', onclick: logout }, _("Sign out")));
}

// -- shared bits ----------------------------------------------------------

const PAGE_SIZE = 25;
const zone = browserZone();

function statusLabel(status) {
  return {
    confirmed: _("Confirmed"), cancelled: _("Cancelled"), completed: _("Completed"), 'no-show': _("No-show"),
  }[status] || status;
}

function statusBadge(status) {
  return h('span', { class: `status status-${status}` }, statusLabel(status));
}

function when(iso, opts = { dateStyle: 'medium', timeStyle: 'short' }) {
  return formatDateTime(iso, zone, opts);
}

const state = {
  me: null,
  services: {},
  experts: {},
  query: '',
  offset: 0,
  results: [],
  more: false,
  searched: false,
  current: -1,
  opened: null,
};

function serviceName(id) {
  return (state.services[id] && state.services[id].name) || id;
}

function expertName(id) {
  return (state.experts[id] && state.experts[id].name) || format(_("Expert %s"), id);
}

// -- the keyboard shortcuts -----------------------------------------------

function shortcutsHelp() {
  const keys = [
    [['/'], _("Search")],
    [['j', '↓'], _("Next result")],
    [['k', '↑'], _("Previous result")],
    [[_("Enter")], _("Open the booking")],
    [[_("Escape")], _("Back to the results")],
  ];
  const or = _("or");
  return h('aside', { class: 'card shortcuts', 'aria-labelledby': 'shortcuts-title' },
    h('h2', { id: 'shortcuts-title' }, _("Keyboard shortcuts")),
    h('dl', {}, keys.map(([k, what]) => [
      h('dt', {}, k.map((key, i) => [i ? ` ${or} ` : null, h('kbd', {}, key)])),
      h('dd', {}, what)])));
}

function typing(target) {
  return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

function resultLinks() {
  return [...document.querySelectorAll('.results a.open')];
}

function moveSelection(delta) {
  const links = resultLinks();
  if (!links.length) return;
  const at = links.indexOf(document.activeElement);
  const next = at < 0 ? (delta > 0 ? 0 : links.length - 1) : Math.max(0, Math.min(links.length - 1, at + delta));
  links[next].focus();
}

document.addEventListener('keydown', (ev) => {
  if (!state.me || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const inField = typing(ev.target);
  if (ev.key === 'Escape') {
    // the first Escape leaves a half-written note or reason alone
    if (state.opened && inField && ev.target.value) {
      ev.target.blur();
      return;
    }
    if (state.opened) {
      ev.preventDefault();
      location.hash = state.query ? `q=${encodeURIComponent(state.query)}` : '';
    }
    return;
  }
  if (ev.key === '/' && !inField) {
    ev.preventDefault();
    if (state.opened) {
      location.hash = state.query ? `q=${encodeURIComponent(state.query)}` : '';
      state.focusSearch = true;
    } else {
      focusSearch();
    }
    return;
  }
  if (state.opened) return;
  if (ev.target && ev.target.id === 'search' && ev.key === 'ArrowDown') {
    ev.preventDefault();
    moveSelection(1);
    return;
  }
  if (inField) return;
  if (ev.key === 'j' || ev.key === 'ArrowDown') {
    ev.preventDefault();
    moveSelection(1);
  } else if (ev.key === 'k' || ev.key === 'ArrowUp') {
    ev.preventDefault();
    moveSelection(-1);
  }
});

function focusSearch() {
  const input = document.getElementById('search');
  if (input) {
    input.focus();
    input.select();
  }
}

// -- the results ------------------------------------------------------------

async function search(query, offset = 0) {
  state.query = query;
  state.offset = offset;
  const params = new URLSearchParams({ limit: String(PAGE_SIZE + 1), offset: String(offset) });
  if (query) params.set('q', query);
  const rows = await api('GET', `/api/v1/bookings?${params}`);
  state.more = rows.length > PAGE_SIZE;
  state.results = rows.slice(0, PAGE_SIZE);
  state.searched = true;
}

function resultsTable() {
  if (!state.searched) return h('p', { class: 'muted' }, _("Type a reference, a name, an email address or a phone number."));
  if (!state.results.length) {
    return h('p', { class: 'muted' }, state.query ? format(_("No booking matches “%s”."), state.query) : _("No bookings."));
  }
  const first = state.offset + 1;
  const last = state.offset + state.results.length;
  const caption = state.query
    ? format(_("Bookings matching “%s”, %s to %s, by start time"), state.query, first, last)
    : format(_("All bookings, %s to %s, by start time"), first, last);
  const table = h('table', { class: 'results' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {},
      [[_("Reference"), ''], [_("Customer"), ''], [_("Service"), 'col-wide'], [_("Expert"), 'col-wide'], [_("Time"), ''], [_("Status"), 'col-wide']]
        .map(([t, c]) => h('th', { scope: 'col', class: c || null }, t)))),
    h('tbody', {}, state.results.map((b) => h('tr', { class: b.reference === state.lastOpened ? 'last-opened' : null },
      h('th', { scope: 'row' }, h('a', { class: 'open', href: `#b=${encodeURIComponent(b.reference)}` }, b.reference)),
      h('td', {}, b.customer.name, h('br'), h('span', { class: 'muted small' }, b.customer.phone || b.customer.email),
        h('span', { class: 'narrow-only small' }, h('br'), serviceName(b.service), ' · ', b.expert.name || expertName(b.expert.id))),
      h('td', { class: 'col-wide' }, serviceName(b.service)),
      h('td', { class: 'col-wide' }, b.expert.name || expertName(b.expert.id)),
      h('td', {}, h('time', { datetime: b.start }, when(b.start)), h('span', { class: 'narrow-only' }, h('br'), statusBadge(b.status))),
      h('td', { class: 'col-wide' }, statusBadge(b.status))))));
  const pager = h('nav', { class: 'pager actions', 'aria-label': _("Result pages") },
    state.offset > 0 ? h('button', { type: 'button', onclick: () => goPage(state.offset - PAGE_SIZE) }, _("Previous page")) : null,
    state.more ? h('button', { type: 'button', onclick: () => goPage(state.offset + PAGE_SIZE) }, _("Next page")) : null);
  return [h('div', { class: 'table-wrap' }, table), pager];
}

async function goPage(offset) {
  await search(state.query, Math.max(0, offset));
  renderResults();
  moveSelection(1);
}

function renderResults(message) {
  state.opened = null;
  const box = alertBox();
  const input = h('input', {
    type: 'search', id: 'search', name: 'q', value: state.query, autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'search-hint', 'aria-keyshortcuts': '/',
  });
  const form = h('form', { class: 'search card', role: 'search' },
    h('label', { for: 'search' }, _("Search bookings")),
    h('p', { class: 'hint', id: 'search-hint' }, _("Reference, name, email or phone number. Press / to come back here.")),
    h('div', { class: 'search-row' }, input, h('button', { type: 'submit', class: 'primary' }, _("Search"))),
    box);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await search(input.value.trim(), 0);
      const hash = state.query ? `q=${encodeURIComponent(state.query)}` : 'q=';
      if (location.hash !== `#${hash}`) history.replaceState(null, '', `#${hash}`);
      clear(results, resultsTable());
      status.textContent = state.results.length
        ? format(state.more ? _("More than %s bookings found.")
          : n_("%s booking found.", "%s bookings found.", state.results.length), state.results.length)
        : _("No booking found.");
    } catch (e) {
      say(box, e.message);
    }
  });
  const status = h('p', { class: 'visually-hidden', role: 'status' });
  const results = h('div', { class: 'results-area' }, resultsTable());
  show(_("Customer service"), h('div', { class: 'console-layout' },
    h('div', { class: 'console-main' },
      h('h1', {}, _("Customer service")),
      message ? h('p', { class: 'alert alert-ok', role: 'status' }, message) : null,
      form, status, results),
    shortcutsHelp()));
  const back = state.lastOpened && document.querySelector(`.results tr.last-opened a.open`);
  if (back && !state.focusSearch) back.focus();
  else input.focus();
  state.focusSearch = false;
}

// -- one booking ----------------------------------------------------------

function historyText(e) {
  const d = e.detail || {};
  switch (e.action) {
    case 'created': return format(_("Booked for %s with %s"), d.start ? when(d.start) : '', d.expert_id ? expertName(d.expert_id) : '');
    case 'rescheduled': {
      const from = d.from || {};
      const to = d.to || {};
      return format(_("Moved from %s (%s) to %s (%s)"), from.start ? when(from.start) : '', from.expert_id ? expertName(from.expert_id) : '',
        to.start ? when(to.start) : '', to.expert_id ? expertName(to.expert_id) : '');
    }
    case 'cancelled': return d.reason ? format(_("Cancelled: %s"), d.reason) : _("Cancelled");
    case 'completed': return _("Marked as completed");
    case 'no-show': return _("Marked as a no-show");
    case 'note': return format(_("Note: %s"), d.text || '');
    case 'summary': return _("Summary written for the customer");
    case 'resent': case 'resend': return _("Confirmation sent again");
    default: return Object.keys(d).length ? `${e.action}: ${JSON.stringify(d)}` : e.action;
  }
}

function emailKind(kind) {
  return {
    confirmation: _("Confirmation"), update: _("Change"), cancellation: _("Cancellation"), reminder: _("Reminder"),
    summary: _("Summary"), feedback: _("Feedback request"),
  }[kind] || kind;
}

function emailStatus(status) {
  return { pending: _("queued"), sent: _("sent"), dead: _("failed"), void: _("not needed any more") }[status] || status;
}

function actorText(e) {
  const who = e.actor_name || e.actor || '';
  const actor = who === 'customer' ? _("the customer") : who;
  return e.address ? format(_("by %s from %s"), actor, e.address) : format(_("by %s"), actor);
}

function timeline(history, emails) {
  // by time; within one second the change before the emails it caused,
  // and each list in its own order
  const items = [
    ...history.map((e, i) => ({ at: e.at, kind: 'event', action: e.action, e, i })),
    ...emails.map((m, i) => ({ at: m.created_at, kind: 'email', m, i })),
  ];
  const rank = (x) => (x.kind === 'event' ? 0 : 1);
  items.sort((a, b) => new Date(a.at) - new Date(b.at) || rank(a) - rank(b) || a.i - b.i);
  if (!items.length) return h('p', { class: 'muted' }, _("Nothing has happened yet."));
  return h('ol', { class: 'timeline' }, items.map((item) => {
    if (item.kind === 'event') {
      return h('li', { class: `tl-event tl-${item.action}` },
        h('time', { datetime: item.at }, when(item.at)),
        h('span', { class: 'tl-what' }, historyText(item.e)),
        h('span', { class: 'tl-who muted' }, actorText(item.e)));
    }
    const m = item.m;
    const to = m.to === 'customer' ? _("customer") : _("expert");
    return h('li', { class: `tl-email tl-email-${m.status}` },
      h('time', { datetime: item.at }, when(item.at)),
      h('span', { class: 'tl-what' }, format(_("Email: %s to the %s (%s)"), emailKind(m.kind), to, m.recipient)),
      h('span', { class: `tl-who email-status email-${m.status}` },
        m.status === 'pending' && m.next_attempt_at && new Date(m.next_attempt_at) > new Date()
          ? format(_("scheduled for %s"), when(m.next_attempt_at)) : emailStatus(m.status),
        m.attempts > 1 ? ` · ${format(n_("%s attempt", "%s attempts", m.attempts), m.attempts)}` : '',
        m.last_error ? ` · ${m.last_error}` : ''));
  }));
}

function details(b) {
  const service = state.services[b.service];
  const rows = [
    [_("Status"), statusBadge(b.status)],
    [_("Time"), [h('time', { datetime: b.start }, when(b.start, { dateStyle: 'full', timeStyle: 'short' })),
      b.customer.timezone && b.customer.timezone !== zone
        ? h('span', { class: 'muted' }, ` (${format(_("%s for the customer"), formatDateTime(b.start, b.customer.timezone, { timeStyle: 'short' }))}, ${b.customer.timezone})`)
        : null]],
    [_("Service"), serviceName(b.service)],
    [_("Expert"), b.expert.name || expertName(b.expert.id)],
    [_("Customer"), b.customer.name],
    [_("Email"), h('a', { href: `mailto:${b.customer.email}` }, b.customer.email)],
    [_("Phone"), b.customer.phone ? h('a', { href: `tel:${b.customer.phone.replace(/[^+\d]/g, '')}` }, b.customer.phone) : '—'],
    [_("Language"), b.customer.locale || '—'],
    [_("Booked via"), b.channel || '—'],
  ];
  if (b.cancel_reason) rows.push([_("Reason for cancelling"), b.cancel_reason]);
  if (b.summary) rows.push([_("Summary"), b.summary]);
  const labels = {};
  for (const q of (service && service.questions) || []) labels[q.id] = q.label;
  const answers = Object.entries(b.answers || {});
  return [
    h('dl', { class: 'details' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('h2', {}, _("Answers")),
    answers.length
      ? h('dl', { class: 'answers' }, answers.map(([k, v]) => [h('dt', {}, labels[k] || k), h('dd', {}, Array.isArray(v) ? v.join(', ') : String(v))]))
      : h('p', { class: 'muted' }, _("No answers given.")),
  ];
}

// a disclosure button and its panel
function disclosure(label, build, extraClass = '') {
  const panelId = uid('panel');
  const panel = h('div', { class: 'card panel', id: panelId, hidden: true });
  const button = h('button', { type: 'button', class: extraClass, 'aria-expanded': 'false', 'aria-controls': panelId }, label);
  let built = false;
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    for (const other of document.querySelectorAll('.booking-actions > button[aria-expanded="true"]')) {
      if (other !== button) {
        other.setAttribute('aria-expanded', 'false');
        document.getElementById(other.getAttribute('aria-controls')).hidden = true;
      }
    }
    button.setAttribute('aria-expanded', String(open));
    panel.hidden = !open;
    if (open && !built) {
      built = true;
      build(panel);
    }
    if (open) {
      const first = panel.querySelector('select, input, textarea, button');
      if (first) first.focus();
    }
  });
  return { button, panel };
}

function reschedulePanel(b, reload) {
  return (panel) => {
    const box = alertBox();
    const others = Object.values(state.experts)
      .filter((e) => e.id !== b.expert.id && (e.services || []).includes(b.service) && e.active !== false);
    const choice = field({
      label: _("Expert"), name: 'expert', type: 'select', value: 'same',
      options: [
        { value: 'same', label: format(_("The same expert (%s)"), b.expert.name || expertName(b.expert.id)) },
        { value: 'any', label: _("Any expert of this service") },
        ...others.map((e) => ({ value: String(e.id), label: e.name })),
      ],
    });
    const chosen = h('p', { class: 'chosen', role: 'status' }, _("Choose a new time below."));
    const move = h('button', { type: 'submit', class: 'primary', disabled: true }, _("Move the booking"));
    let slot = null;
    const expertFor = () => (choice.input.value === 'same' ? b.expert.id : choice.input.value === 'any' ? null : Number(choice.input.value));
    const picker = new SlotPicker({
      service: b.service,
      expert: b.expert.id,
      tz: zone,
      label: _("New time"),
      headingLevel: 3,
      onSelect(s) {
        slot = s;
        move.disabled = !s;
        chosen.textContent = s ? format(_("New time: %s"), when(s.start, { dateStyle: 'full', timeStyle: 'short' })) : _("Choose a new time below.");
      },
    });
    choice.input.addEventListener('change', async () => {
      slot = null;
      move.disabled = true;
      chosen.textContent = _("Choose a new time below.");
      picker.setExpert(expertFor());
    });
    const form = h('form', { class: 'reschedule-form', novalidate: true },
      h('h2', {}, _("Reschedule")), box, choice,
      h('div', { class: 'field', dataset: { field: 'start' } }, h('p', { class: 'error', hidden: true }), picker.element),
      chosen,
      h('div', { class: 'actions' }, move));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!slot) return;
      const body = { start: slot.start };
      const expert = expertFor();
      if (expert !== null) body.expert = expert;
      else if (slot.experts && slot.experts.length && !slot.experts.includes(b.expert.id)) body.expert = slot.experts[0];
      try {
        move.disabled = true;
        const moved = await api('POST', `/api/v1/bookings/${encodeURIComponent(b.reference)}/reschedule`, body);
        await reload(format(_("Moved to %s with %s."), when(moved.start, { dateStyle: 'full', timeStyle: 'short' }), moved.expert.name));
      } catch (e) {
        move.disabled = false;
        showProblem(form, box, e);
        if (e.status === 409) picker.refresh().catch(() => {});
      }
    });
    panel.append(form);
    picker.load().catch((e) => say(box, e.message));
  };
}

function cancelPanel(b, reload) {
  return (panel) => {
    const box = alertBox();
    const reason = field({ label: _("Reason"), name: 'reason', type: 'textarea', rows: 2, maxlength: 500, hint: _("The customer sees it in the cancellation email.") });
    const form = h('form', { novalidate: true }, h('h2', {}, _("Cancel the booking")), box, reason,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, _("Cancel the booking"))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const body = reason.input.value.trim() ? { reason: reason.input.value.trim() } : {};
        await api('POST', `/api/v1/bookings/${encodeURIComponent(b.reference)}/cancel`, body);
        await reload(_("The booking is cancelled; the customer and the expert are told by email."));
      } catch (e) {
        showProblem(form, box, e);
      }
    });
    panel.append(form);
  };
}

function notePanel(b, reload) {
  return (panel) => {
    const box = alertBox();
    const text = field({ label: _("Note"), name: 'text', type: 'textarea', rows: 3, maxlength: 2000, hint: _("For staff only; the customer does not see it.") });
    const form = h('form', { novalidate: true }, h('h2', {}, _("Add a note")), box, text,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, _("Save note"))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!text.input.value.trim()) {
        showProblem(form, box, new ApiError(422, { errors: [{ field: 'text', message: _("Write the note first.") }] }));
        return;
      }
      try {
        await api('POST', `/api/v1/bookings/${encodeURIComponent(b.reference)}/notes`, { text: text.input.value.trim() });
        await reload(_("Note added."), 'timeline-title');
      } catch (e) {
        showProblem(form, box, e);
      }
    });
    panel.append(form);
  };
}

async function openBooking(reference, message, focusId) {
  state.opened = reference;
  state.lastOpened = reference;
  const path = `/api/v1/bookings/${encodeURIComponent(reference)}`;
  let b;
  try {
    b = await api('GET', path);
  } catch (e) {
    show(_("Booking"), h('h1', {}, _("Booking")), h('p', { class: 'alert alert-error', role: 'alert' }, e.message),
      h('p', {}, h('a', { href: '#' }, _("Back to the results"))));
    return;
  }
  const [history, emails] = await Promise.all([
    api('GET', `${path}/history`).catch(() => []),
    api('GET', `${path}/emails`).catch(() => []),
  ]);
  if (state.opened !== reference) return;
  const reload = (text, focus) => openBooking(reference, text, focus);
  const box = alertBox();
  const done = h('p', { class: 'alert alert-ok', role: 'status', hidden: !message }, message || '');
  const active = b.status === 'confirmed';
  const actions = h('div', { class: 'booking-actions actions' });
  const panels = h('div', { class: 'panels' });
  if (active) {
    const r = disclosure(_("Reschedule"), reschedulePanel(b, reload), 'primary');
    const c = disclosure(_("Cancel"), cancelPanel(b, reload), 'danger');
    actions.append(r.button, c.button);
    panels.append(r.panel, c.panel);
  }
  const resend = h('button', { type: 'button' }, _("Resend confirmation"));
  resend.addEventListener('click', async () => {
    try {
      resend.disabled = true;
      await api('POST', `${path}/resend`, {});
      await reload(format(_("The confirmation is on its way to %s again."), b.customer.email));
    } catch (e) {
      resend.disabled = false;
      say(box, e.message);
    }
  });
  if (active) actions.append(resend);
  const n = disclosure(_("Add note"), notePanel(b, reload));
  actions.append(n.button);
  panels.append(n.panel);
  const backHash = state.query ? `#q=${encodeURIComponent(state.query)}` : '#';
  show(format(_("Booking %s"), b.reference),
    h('p', { class: 'back' }, h('a', { href: backHash }, h('span', { 'aria-hidden': 'true' }, '← '), _("Back to the results")),
      ' ', h('span', { class: 'muted' }, format(_("(%s)"), _("Escape")))),
    h('h1', {}, format(_("Booking %s"), b.reference), ' ', h('span', { class: 'muted h1-sub' }, b.customer.name)),
    done, box,
    h('section', { class: 'booking-tools', 'aria-label': _("Actions") }, actions, panels),
    h('div', { class: 'booking-layout' },
      h('section', { class: 'card', 'aria-labelledby': 'details-title' }, h('h2', { id: 'details-title', class: 'visually-hidden' }, _("Details")), details(b)),
      h('section', { class: 'card', 'aria-labelledby': 'timeline-title' },
        h('h2', { id: 'timeline-title', tabindex: '-1' }, _("Timeline")), timeline(history, emails))));
  if (focusId) document.getElementById(focusId)?.focus();
  else if (message) done.setAttribute('tabindex', '-1'), done.focus();
}

// -- routing: #q=TEXT for results, #b=REF for one booking -------------------

async function route() {
  const hash = decodeURIComponent(location.hash.slice(1));
  if (hash.startsWith('b=')) {
    await openBooking(hash.slice(2));
    return;
  }
  if (hash.startsWith('q=')) {
    const q = hash.slice(2);
    if (!state.searched || q !== state.query) await search(q, 0);
  }
  renderResults();
}

start(async () => {
  header([]);
  const me = await requireUser(_("Customer service"), ['staff', 'admin']);
  state.me = me;
  staffHeader(me, 'console');
  const [services, experts] = await Promise.all([api('GET', '/api/v1/services'), api('GET', '/api/v1/experts')]);
  for (const s of services) state.services[s.id] = s;
  for (const e of experts) state.experts[e.id] = e;
  window.addEventListener('hashchange', () => route().catch((e) => console.error(e)));
  await route();
});
