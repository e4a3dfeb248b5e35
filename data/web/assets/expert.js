// Copyright 2026 The appoint developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The expert's calendar (/expert): weekly hours, date overrides, time off,
// the sessions to come and those just held (mark them, write the summary),
// and the calendar subscription link. An admin picks the expert first.

import {
  _, format, h, clear, show, field, alertBox, say, api, ApiError, showProblem,
  formatDateTime, isoDate, addDays, header, requireUser, logout, browserZone, start, uid,
} from './common.js';

function staffHeader(me, current) {
  const links = [{ href: '/expert', label: _("Calendar"), current: current === 'expert' }];
  if (me.role === 'staff' || me.role === 'admin') links.push({ href: '/console', label: _("Console"), current: current === 'console' });
  if (me.role === 'admin') links.push({ href: '/admin', label: _("Admin"), current: current === 'admin' });
  header(me.role === 'staff' ? links.slice(1) : links,
    h('span', { class: 'signed-in' }, me.name),
    h('button', { type: 'button', class: 'header-button', onclick: logout }, _("Sign out")));
}

// -- helpers --------------------------------------------------------------

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function dayName(day) {
  return {
    mon: _("Monday"), tue: _("Tuesday"), wed: _("Wednesday"), thu: _("Thursday"),
    fri: _("Friday"), sat: _("Saturday"), sun: _("Sunday"),
  }[day];
}

function statusLabel(status) {
  return {
    confirmed: _("Confirmed"), cancelled: _("Cancelled"), completed: _("Completed"), 'no-show': _("No-show"),
  }[status] || status;
}

function statusBadge(status) {
  return h('span', { class: `status status-${status}` }, statusLabel(status));
}

// a datetime-local value (the browser's zone) as an RFC 3339 instant
function localToInstant(value) {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function statusBox() {
  return h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
}

function flash(box, text) {
  box.textContent = text;
}

// rows of start–end inputs for one day (or one override date); .ranges()
// reads them back as [["09:00","17:00"], …]
function rangeEditor(ranges, label) {
  const list = h('ul', { class: 'ranges' });
  const empty = h('p', { class: 'muted ranges-empty' }, _("Not available"));
  const refresh = () => {
    empty.hidden = list.children.length > 0;
  };
  const addRow = (from = '09:00', until = '17:00', focus = false) => {
    const idFrom = uid('from');
    const idUntil = uid('until');
    const row = h('li', { class: 'range' },
      h('label', { for: idFrom }, h('span', { class: 'visually-hidden' }, `${label} `), _("From")),
      h('input', { type: 'time', id: idFrom, class: 'from', value: from, required: true }),
      h('label', { for: idUntil }, h('span', { class: 'visually-hidden' }, `${label} `), _("until")),
      h('input', { type: 'time', id: idUntil, class: 'until', value: until, required: true }));
    row.append(h('button', {
      type: 'button',
      class: 'small',
      'aria-label': format(_("Remove range %s from %s"), `${from}–${until}`, label),
      onclick: () => {
        row.remove();
        refresh();
        addButton.focus();
      },
    }, _("Remove")));
    list.append(row);
    refresh();
    if (focus) row.querySelector('input').focus();
  };
  const addButton = h('button', { type: 'button', class: 'small', onclick: () => addRow('09:00', '17:00', true) },
    h('span', { 'aria-hidden': 'true' }, '+ '), _("Add range"), h('span', { class: 'visually-hidden' }, ` ${label}`));
  for (const [a, b] of ranges || []) addRow(a, b);
  refresh();
  const el = h('div', { class: 'range-editor' }, list, empty, addButton);
  el.ranges = () => [...list.querySelectorAll('li')].map((li) => [li.querySelector('.from').value, li.querySelector('.until').value]);
  return el;
}

// -- weekly hours ----------------------------------------------------------

function hoursSection(expertId, hours, reload) {
  const box = alertBox();
  const done = statusBox();
  const editors = {};
  const form = h('form', { class: 'card hours-form', novalidate: true });
  form.append(box, h('p', { class: 'hint' }, format(_("Times are in the expert's time zone, %s."), hours.timezone)));
  const grid = h('div', { class: 'week' });
  for (const day of DAYS) {
    const editor = rangeEditor(hours.weekly[day], dayName(day));
    editors[day] = editor;
    const legendId = uid('day');
    grid.append(h('div', { class: 'field day', dataset: { field: `weekly.${day}` }, role: 'group', 'aria-labelledby': legendId },
      h('h3', { id: legendId }, dayName(day)),
      h('p', { class: 'error', hidden: true }),
      editor));
  }
  form.append(grid, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, _("Save weekly hours")), done));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    flash(done, '');
    const weekly = {};
    for (const day of DAYS) weekly[day] = editors[day].ranges();
    try {
      await api('PUT', `/api/v1/experts/${expertId}/hours`, { weekly });
      showProblem(form, box, null);
      flash(done, _("Weekly hours saved."));
    } catch (e) {
      showProblem(form, box, e);
    }
  });
  return h('section', { 'aria-labelledby': 'hours-title' }, h('h2', { id: 'hours-title' }, _("Weekly hours")), form);
}

// -- date overrides -------------------------------------------------------

function overridesSection(expertId, hours, reload) {
  const box = alertBox();
  const done = statusBox();
  const date = field({ label: _("Date"), name: 'date', type: 'date', required: true, value: addDays(isoDate(new Date(), hours.timezone), 1) });
  const off = h('input', { type: 'checkbox', id: uid('dayoff'), name: 'dayoff' });
  const editor = rangeEditor([['10:00', '14:00']], _("on that date"));
  const rangesField = h('div', { class: 'field', dataset: { field: 'hours' } },
    h('p', { class: 'label' }, _("Hours on that date")), h('p', { class: 'error', hidden: true }), editor);
  off.addEventListener('change', () => {
    rangesField.hidden = off.checked;
  });
  const form = h('form', { class: 'card', novalidate: true }, box, date,
    h('div', { class: 'check' }, off, h('label', { for: off.id }, _("Day off"))),
    rangesField,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, _("Save date")), done));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    flash(done, '');
    const day = date.input.value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
      showProblem(form, box, new ApiError(422, { errors: [{ field: 'date', message: _("Enter a date.") }] }));
      return;
    }
    try {
      await api('PUT', `/api/v1/experts/${expertId}/overrides/${day}`, { hours: off.checked ? [] : editor.ranges() });
      await reload(_("The date was saved."));
    } catch (e) {
      showProblem(form, box, e);
    }
  });
  const list = h('ul', { class: 'plain-list' });
  for (const o of hours.overrides || []) {
    const text = o.hours.length ? o.hours.map((r) => `${r[0]}–${r[1]}`).join(', ') : _("Day off");
    list.append(h('li', { class: 'list-row' },
      h('span', {}, h('strong', {}, formatDateTime(`${o.date}T12:00:00Z`, 'UTC', { dateStyle: 'full' })), ' ', text),
      h('button', {
        type: 'button',
        class: 'small danger',
        'aria-label': format(_("Delete the hours for %s"), o.date),
        onclick: async () => {
          try {
            await api('DELETE', `/api/v1/experts/${expertId}/overrides/${o.date}`);
            await reload(_("The date follows the weekly hours again."));
          } catch (e) {
            say(box, e.message);
          }
        },
      }, _("Delete"))));
  }
  return h('section', { 'aria-labelledby': 'overrides-title' },
    h('h2', { id: 'overrides-title' }, _("Dates that differ")),
    h('p', { class: 'hint' }, _("One date can have other hours than the week, or be a day off.")),
    (hours.overrides || []).length ? list : h('p', { class: 'muted' }, _("No dates differ from the week.")),
    form);
}

// -- time off ---------------------------------------------------------------

function timeOffSection(expertId, periods, reload) {
  const box = alertBox();
  const done = statusBox();
  const zone = browserZone();
  const from = field({ label: _("From"), name: 'start', type: 'datetime-local', required: true, hint: format(_("In your time zone, %s."), zone) });
  const until = field({ label: _("Until"), name: 'end', type: 'datetime-local', required: true });
  const reason = field({ label: _("Reason (optional)"), name: 'reason', maxlength: 500 });
  const form = h('form', { class: 'card', novalidate: true }, box, h('div', { class: 'field-row' }, from, until), reason,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, _("Add time off")), done));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const errors = [];
    if (!from.input.value) errors.push({ field: 'start', message: _("Enter when the time off starts.") });
    if (!until.input.value) errors.push({ field: 'end', message: _("Enter when the time off ends.") });
    if (errors.length) {
      showProblem(form, box, new ApiError(422, { errors }));
      return;
    }
    try {
      const body = { start: localToInstant(from.input.value), end: localToInstant(until.input.value) };
      if (reason.input.value.trim()) body.reason = reason.input.value.trim();
      await api('POST', `/api/v1/experts/${expertId}/time-off`, body);
      await reload(_("Time off added."));
    } catch (e) {
      showProblem(form, box, e);
    }
  });
  const list = h('ul', { class: 'plain-list time-off-list' });
  for (const p of periods) {
    list.append(h('li', { class: 'list-row' },
      h('span', {},
        format(_("%s to %s"), formatDateTime(p.start, zone, { dateStyle: 'medium', timeStyle: 'short' }),
          formatDateTime(p.end, zone, { dateStyle: 'medium', timeStyle: 'short' })),
        p.reason ? h('span', { class: 'muted' }, ` — ${p.reason}`) : null),
      h('button', {
        type: 'button',
        class: 'small danger',
        'aria-label': format(_("Delete the time off from %s"), formatDateTime(p.start, zone, { dateStyle: 'medium', timeStyle: 'short' })),
        onclick: async () => {
          try {
            await api('DELETE', `/api/v1/experts/${expertId}/time-off/${p.id}`);
            await reload(_("Time off deleted."));
          } catch (e) {
            say(box, e.message);
          }
        },
      }, _("Delete"))));
  }
  return h('section', { 'aria-labelledby': 'timeoff-title' },
    h('h2', { id: 'timeoff-title' }, _("Time off")),
    h('p', { class: 'hint' }, _("No slots are offered then. Sessions already booked in that time stay: ask customer service to move them.")),
    periods.length ? list : h('p', { class: 'muted' }, _("No time off planned.")),
    form);
}

// -- sessions -------------------------------------------------------------

function answersList(booking, service) {
  const entries = Object.entries(booking.answers || {});
  if (!entries.length) return h('p', { class: 'muted' }, _("No answers given."));
  const labels = {};
  for (const q of (service && service.questions) || []) labels[q.id] = q.label;
  return h('dl', { class: 'answers' },
    entries.map(([k, v]) => [h('dt', {}, labels[k] || k), h('dd', {}, Array.isArray(v) ? v.join(', ') : String(v))]));
}

function sessionCard(b, services, zone, reload) {
  const service = services[b.service];
  const box = alertBox();
  const done = statusBox();
  const now = Date.now();
  const started = new Date(b.start).getTime() <= now;
  const titleId = uid('session');
  const card = h('li', { class: 'card session', dataset: { reference: b.reference } },
    h('h3', { id: titleId },
      formatDateTime(b.start, zone, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }),
      ' · ', b.customer.name),
    h('p', { class: 'session-meta' },
      service ? service.name : b.service, ' · ', statusBadge(b.status), ' · ',
      h('span', { class: 'muted' }, format(_("Reference %s"), b.reference))),
    h('details', { class: 'answers-box' }, h('summary', {}, _("The customer's answers")), answersList(b, service)),
    box);
  if (b.status === 'confirmed' && b.video_url) {
    card.append(h('p', {}, h('a', { href: b.video_url, rel: 'noopener' }, _("Join the video session"))));
  }
  if (started && b.status === 'confirmed') {
    const mark = async (what, text) => {
      try {
        await api('POST', `/api/v1/bookings/${b.reference}/${what}`, {});
        await reload(text);
      } catch (e) {
        say(box, e.message);
      }
    };
    card.append(h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary', onclick: () => mark('complete', _("Marked as completed.")) }, _("Mark completed")),
      h('button', { type: 'button', onclick: () => mark('no-show', _("Marked as a no-show.")) }, _("No-show"))));
  }
  // the summary goes to the customer once the session is marked completed
  if (b.status === 'completed') {
    const summary = field({
      label: _("Summary for the customer"), name: 'summary', type: 'textarea', rows: 4, value: b.summary || '',
      hint: _("The customer receives it by email."), maxlength: 10000,
    });
    const form = h('form', { class: 'summary-form', novalidate: true }, summary,
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, b.summary ? _("Send the summary again") : _("Send summary")), done));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        await api('POST', `/api/v1/bookings/${b.reference}/summary`, { summary: summary.input.value });
        showProblem(form, box, null);
        flash(done, _("Summary sent to the customer."));
      } catch (e) {
        showProblem(form, box, e);
      }
    });
    card.append(form);
  }
  return card;
}

function sessionsSection(bookings, services, reload) {
  const zone = browserZone();
  const now = Date.now();
  const upcoming = bookings.filter((b) => new Date(b.start).getTime() > now && b.status !== 'cancelled');
  const past = bookings.filter((b) => new Date(b.start).getTime() <= now && b.status !== 'cancelled').reverse();
  const list = (items, none) => (items.length
    ? h('ul', { class: 'sessions' }, items.map((b) => sessionCard(b, services, zone, reload)))
    : h('p', { class: 'muted' }, none));
  return h('section', { 'aria-labelledby': 'sessions-title' },
    h('h2', { id: 'sessions-title' }, _("Sessions")),
    h('h3', { id: 'upcoming-title' }, _("Upcoming")),
    h('div', { class: 'upcoming' }, list(upcoming, _("No sessions booked yet."))),
    h('h3', { id: 'past-title' }, _("Ongoing and past (last 30 days)")),
    h('div', { class: 'past' }, list(past, _("No sessions in the last 30 days."))));
}

// -- the calendar subscription -------------------------------------------

async function calendarSection(expertId) {
  const section = h('section', { 'aria-labelledby': 'ics-title' }, h('h2', { id: 'ics-title' }, _("Calendar subscription")));
  const body = h('div', { class: 'card' });
  section.append(body);
  const box = alertBox();
  const done = statusBox();
  let state = null;
  try {
    state = await api('GET', `/api/v1/experts/${expertId}/calendar`);
  } catch (e) {
    clear(body, h('p', { class: 'muted' }, _("The calendar subscription is not available.")));
    return section;
  }
  const render = (url) => {
    const status = state.active
      ? h('p', {}, format(_("A subscription link is active (created %s)."),
        state.created_at ? formatDateTime(state.created_at, browserZone(), { dateStyle: 'medium', timeStyle: 'short' }) : '—'))
      : h('p', {}, _("No subscription link yet."));
    const button = h('button', { type: 'button', class: state.active ? '' : 'primary' },
      state.active ? _("Renew link") : _("Create subscription link"));
    button.addEventListener('click', async () => {
      try {
        const answer = await api('POST', `/api/v1/experts/${expertId}/calendar`, {});
        state = { active: true, created_at: new Date().toISOString() };
        render(answer.url);
      } catch (e) {
        say(box, e.message);
      }
    });
    const children = [box,
      h('p', { class: 'hint' }, _("Subscribe to your sessions from Google Calendar, Outlook or Apple Calendar with a secret link. Anyone with the link can see your sessions.")),
      status];
    if (url) {
      const link = field({ label: _("Your subscription link"), name: 'ics-url', value: url, hint: _("Shown only now: copy it into your calendar app. Renewing the link makes this one stop working.") });
      link.input.readOnly = true;
      link.input.addEventListener('focus', () => link.input.select());
      const copy = h('button', { type: 'button', class: 'primary' }, _("Copy link"));
      copy.addEventListener('click', async () => {
        link.input.select();
        try {
          await navigator.clipboard.writeText(url);
        } catch (e) {
          document.execCommand('copy');
        }
        flash(done, _("Link copied."));
      });
      children.push(link, h('div', { class: 'actions' }, copy, done));
      children.push(h('p', {}, _("Create a new link if this one has been shared by mistake; the old link then stops working.")), h('div', { class: 'actions' }, button));
    } else {
      if (state.active) children.push(h('p', { class: 'hint' }, _("The link is shown only when it is made. Renewing it gives a new link and the old one stops working.")));
      children.push(h('div', { class: 'actions' }, button, done));
    }
    clear(body, ...children);
    if (url) link_focus(body);
  };
  render(null);
  return section;
}

function link_focus(body) {
  const input = body.querySelector('input[name="ics-url"]');
  if (input) input.focus();
}

// -- the page -------------------------------------------------------------

async function chooseExpert(me) {
  if (me.role === 'expert') return me.expert_id;
  const experts = await api('GET', '/api/v1/experts');
  const wanted = Number(new URLSearchParams(location.search).get('expert'));
  if (experts.some((e) => e.id === wanted)) return wanted;
  return new Promise((resolve) => {
    const pick = field({
      label: _("Expert"), name: 'expert', type: 'select',
      options: experts.map((e) => ({ value: e.id, label: e.name })),
    });
    const form = h('form', { class: 'card narrow' }, pick, h('button', { type: 'submit', class: 'primary' }, _("Open calendar")));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const id = Number(pick.input.value);
      history.replaceState(null, '', `?expert=${id}`);
      resolve(id);
    });
    show(_("Choose an expert"), h('h1', {}, _("Choose an expert")), form);
  });
}

async function render(me, expertId, message) {
  const zone = browserZone();
  const today = isoDate(new Date(), 'Europe/London');
  const [expert, hours, periods, bookings, serviceList] = await Promise.all([
    api('GET', `/api/v1/experts/${expertId}`),
    api('GET', `/api/v1/experts/${expertId}/hours`),
    api('GET', `/api/v1/experts/${expertId}/time-off`),
    api('GET', `/api/v1/bookings?from=${addDays(today, -30)}&to=${addDays(today, 90)}&limit=500`),
    api('GET', '/api/v1/services'),
  ]);
  const services = {};
  for (const s of serviceList) services[s.id] = s;
  const own = bookings.filter((b) => b.expert.id === expertId);
  const reload = (text) => render(me, expertId, text);
  const note = h('p', { class: 'alert alert-ok', role: 'status' }, message || '');
  note.hidden = !message;
  const title = me.role === 'expert' ? _("Your calendar") : format(_("Calendar of %s"), expert.name);
  const nav = h('nav', { class: 'page-nav', 'aria-label': _("Sections") }, h('ul', {},
    [['#sessions-title', _("Sessions")], ['#hours-title', _("Weekly hours")], ['#overrides-title', _("Dates that differ")],
      ['#timeoff-title', _("Time off")], ['#ics-title', _("Calendar subscription")]].map(([href, label]) => h('li', {}, h('a', { href }, label)))));
  const scroll = window.scrollY;
  show(title, h('h1', {}, title),
    h('p', { class: 'muted' }, format(_("Times are shown in your time zone, %s."), zone)),
    note, nav,
    sessionsSection(own, services, reload),
    hoursSection(expertId, hours, reload),
    overridesSection(expertId, hours, reload),
    timeOffSection(expertId, periods, reload),
    await calendarSection(expertId));
  if (message) window.scrollTo(0, scroll);
}

start(async () => {
  header([]);
  const me = await requireUser(_("Expert calendar"), ['expert', 'admin']);
  staffHeader(me, 'expert');
  const expertId = await chooseExpert(me);
  await render(me, expertId);
});
