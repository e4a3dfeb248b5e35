// Copyright 2026 The appoint developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The admin pages (/admin): services (durations, notice, horizon, capacity,
// questions), experts and the users who sign in.

import {
  _, n_, format, h, clear, show, field, alertBox, say, api, ApiError, showProblem,
  header, requireUser, logout, start, uid,
} from './common.js';

// -- helpers ----------------------------------------------------------------

function yesNo(v) {
  return v ? _("Yes") : _("No");
}

function roleLabel(role) {
  return { admin: _("Administrator"), staff: _("Customer service"), expert: _("Expert") }[role] || role;
}

function checkbox(label, name, checked) {
  const id = uid(name);
  const input = h('input', { type: 'checkbox', id, name, checked: !!checked });
  const el = h('div', { class: 'field check', dataset: { field: name } }, input, h('label', { for: id }, label), h('p', { class: 'error', hidden: true }));
  el.input = input;
  return el;
}

function numberField(label, name, value, hint) {
  return field({ label, name, type: 'number', value: value ?? '', min: 0, step: 1, inputmode: 'numeric', hint });
}

function zones() {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch (e) {
    return ['Europe/London', 'Europe/Berlin', 'Europe/Paris', 'America/New_York'];
  }
}

const state = { services: [], experts: [], users: null };

// a section with its heading, an alert box and a body to fill
function section(id, title) {
  const body = h('div', { class: 'section-body' });
  const el = h('section', { 'aria-labelledby': id, class: 'admin-section' }, h('h2', { id, tabindex: '-1' }, title), body);
  el.body = body;
  return el;
}

function note(text) {
  const p = h('p', { class: 'alert alert-ok', role: 'status' }, text);
  return p;
}

// -- services ---------------------------------------------------------------

function serviceForm(service, done) {
  const creating = !service;
  const s = service || { duration_minutes: 45, buffer_minutes: 15, min_notice_minutes: 120, horizon_days: 60, step_minutes: 15, capacity: 1, active: true, questions: [] };
  const box = alertBox();
  const id = creating ? field({ label: _("Identifier"), name: 'id', required: true, hint: _("Lower-case letters, digits and hyphens, e.g. gift-advice. It cannot change later.") }) : null;
  const name = field({ label: _("Name"), name: 'name', value: s.name || '', required: true, maxlength: 200 });
  const description = field({ label: _("Description"), name: 'description', type: 'textarea', rows: 3, value: s.description || '' });
  const preparation = field({ label: _("How to prepare"), name: 'preparation', type: 'textarea', rows: 2, value: s.preparation || '' });
  const duration = numberField(_("Duration (minutes)"), 'duration_minutes', s.duration_minutes);
  const buffer = numberField(_("Buffer after each session (minutes)"), 'buffer_minutes', s.buffer_after_minutes ?? s.buffer_minutes);
  const notice = numberField(_("Minimum notice (minutes)"), 'min_notice_minutes', s.min_notice_minutes);
  const horizon = numberField(_("Bookable up to (days ahead)"), 'horizon_days', s.horizon_days);
  const step = numberField(_("Start times every (minutes)"), 'step_minutes', s.step_minutes);
  const capacity = numberField(_("Customers per session"), 'capacity', s.capacity);
  const active = checkbox(_("Active (customers can book it)"), 'active', s.active);
  const questions = field({
    label: _("Questions (JSON)"), name: 'questions', type: 'textarea', rows: 8,
    value: JSON.stringify(s.questions || [], null, 2),
    hint: _("A list of {id, label, type, required, choices?}; type is text or choice."),
  });
  questions.input.classList.add('code');
  const title = creating ? _("New service") : format(_("Edit %s"), s.name);
  const form = h('form', { class: 'card service-form', novalidate: true },
    h('h3', {}, title), box, id, name,
    h('div', { class: 'field-grid' }, duration, buffer, notice, horizon, step, capacity),
    active, description, preparation, questions,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, creating ? _("Create service") : _("Save service")),
      h('button', { type: 'button', onclick: () => done(null) }, _("Close"))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    let parsedQuestions;
    try {
      parsedQuestions = JSON.parse(questions.input.value || '[]');
    } catch (e) {
      showProblem(form, box, new ApiError(422, { errors: [{ field: 'questions', message: format(_("This is not valid JSON: %s"), e.message) }] }));
      return;
    }
    const body = {};
    const put = (key, value, old) => {
      if (creating || JSON.stringify(value) !== JSON.stringify(old)) body[key] = value;
    };
    const num = (f) => (f.input.value === '' ? undefined : Number(f.input.value));
    if (creating) body.id = id.input.value.trim();
    put('name', name.input.value.trim(), s.name);
    put('description', description.input.value, s.description || '');
    put('preparation', preparation.input.value, s.preparation || '');
    for (const [f, key, old] of [[duration, 'duration_minutes', s.duration_minutes], [buffer, 'buffer_minutes', s.buffer_after_minutes ?? s.buffer_minutes],
      [notice, 'min_notice_minutes', s.min_notice_minutes], [horizon, 'horizon_days', s.horizon_days], [step, 'step_minutes', s.step_minutes],
      [capacity, 'capacity', s.capacity]]) {
      const v = num(f);
      if (v !== undefined) put(key, v, old);
    }
    put('active', active.input.checked, s.active);
    put('questions', parsedQuestions, s.questions || []);
    try {
      const saved = creating
        ? await api('POST', '/api/v1/services', body)
        : await api('PATCH', `/api/v1/services/${encodeURIComponent(s.id)}`, body);
      done(creating ? format(_("Service %s created."), saved.name) : format(_("Service %s saved."), saved.name));
    } catch (e) {
      showProblem(form, box, e);
    }
  });
  return form;
}

async function servicesSection(sec, message) {
  state.services = await api('GET', '/api/v1/services?all=true');
  const slot = h('div', { class: 'editor-slot' });
  const reload = async (text) => {
    await servicesSection(sec, text);
    sec.querySelector('h2').focus();
  };
  const edit = (service) => {
    clear(slot, serviceForm(service, (text) => (text ? reload(text) : (clear(slot), sec.querySelector('.new-service').focus()))));
    slot.querySelector('input, textarea').focus();
  };
  const table = h('table', {},
    h('caption', { class: 'visually-hidden' }, _("Services")),
    h('thead', {}, h('tr', {}, [_("Service"), _("Duration"), _("Buffer"), _("Notice"), _("Horizon"), _("Capacity"), _("Active"), _("Actions")]
      .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, state.services.map((s) => h('tr', { class: s.active ? null : 'inactive', dataset: { service: s.id } },
      h('th', { scope: 'row' }, s.name, h('br'), h('span', { class: 'muted small' }, s.id)),
      h('td', {}, format(_("%s min"), s.duration_minutes)),
      h('td', {}, format(_("%s min"), s.buffer_after_minutes ?? s.buffer_minutes)),
      h('td', {}, format(_("%s min"), s.min_notice_minutes)),
      h('td', {}, format(n_("%s day", "%s days", s.horizon_days), s.horizon_days)),
      h('td', {}, String(s.capacity)),
      h('td', {}, yesNo(s.active)),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'small', 'aria-label': format(_("Edit %s"), s.name), onclick: () => edit(s) }, _("Edit")),
        s.active ? h('button', {
          type: 'button',
          class: 'small danger',
          'aria-label': format(_("Deactivate %s"), s.name),
          onclick: async () => {
            try {
              await api('DELETE', `/api/v1/services/${encodeURIComponent(s.id)}`);
              await reload(format(_("Service %s deactivated; its bookings stay."), s.name));
            } catch (e) {
              say(box, e.message);
            }
          },
        }, _("Deactivate")) : null)))));
  const box = alertBox();
  clear(sec.body, message ? note(message) : null, box,
    h('div', { class: 'table-wrap' }, table),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'new-service', onclick: () => edit(null) }, _("New service"))),
    slot);
}

// -- experts ----------------------------------------------------------------

function expertForm(expert, done) {
  const creating = !expert;
  const e = expert || { services: [], timezone: 'Europe/London', bio: '', branch: '', active: true };
  const box = alertBox();
  const name = field({ label: _("Name"), name: 'name', value: e.name || '', required: true, maxlength: 200 });
  const email = field({ label: _("Email address"), name: 'email', type: 'email', value: e.email || '', required: true, hint: _("Session invitations go here.") });
  const list = zones();
  if (!list.includes(e.timezone)) list.unshift(e.timezone);
  const timezone = field({ label: _("Time zone"), name: 'timezone', type: 'select', value: e.timezone, options: list.map((z) => ({ value: z, label: z })) });
  const branch = field({ label: _("Branch"), name: 'branch', value: e.branch || '' });
  const bio = field({ label: _("About (shown to customers)"), name: 'bio', type: 'textarea', rows: 3, value: e.bio || '' });
  const boxes = state.services.map((s) => {
    const c = checkbox(s.name, `service-${s.id}`, e.services.includes(s.id));
    c.input.value = s.id;
    return c;
  });
  const services = h('fieldset', { class: 'field services-choice', dataset: { field: 'services' } },
    h('legend', {}, _("Services")), h('p', { class: 'error', hidden: true }), boxes);
  const active = checkbox(_("Active (offered to customers)"), 'active', e.active);
  const form = h('form', { class: 'card expert-form', novalidate: true },
    h('h3', {}, creating ? _("New expert") : format(_("Edit %s"), e.name)), box,
    h('div', { class: 'field-grid wide' }, name, email, timezone, branch), services, bio, creating ? null : active,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, creating ? _("Create expert") : _("Save expert")),
      h('button', { type: 'button', onclick: () => done(null) }, _("Close"))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = {
      name: name.input.value.trim(),
      email: email.input.value.trim(),
      timezone: timezone.input.value,
      branch: branch.input.value.trim(),
      bio: bio.input.value,
      services: boxes.filter((c) => c.input.checked).map((c) => c.input.value),
    };
    if (!creating) {
      body.active = active.input.checked;
      for (const k of Object.keys(body)) if (JSON.stringify(body[k]) === JSON.stringify(e[k] ?? '')) delete body[k];
    }
    try {
      const saved = creating ? await api('POST', '/api/v1/experts', body) : await api('PATCH', `/api/v1/experts/${e.id}`, body);
      done(creating ? format(_("Expert %s created. Set their hours in their calendar."), saved.name) : format(_("Expert %s saved."), saved.name));
    } catch (err) {
      showProblem(form, box, err);
    }
  });
  return form;
}

async function expertsSection(sec, message) {
  state.experts = await api('GET', '/api/v1/experts');
  const slot = h('div', { class: 'editor-slot' });
  const box = alertBox();
  const reload = async (text) => {
    await expertsSection(sec, text);
    sec.querySelector('h2').focus();
  };
  const edit = async (expert) => {
    let full = expert;
    try {
      if (expert) full = await api('GET', `/api/v1/experts/${expert.id}`);
    } catch (e) {
      say(box, e.message);
      return;
    }
    clear(slot, expertForm(full, (text) => (text ? reload(text) : (clear(slot), sec.querySelector('.new-expert').focus()))));
    slot.querySelector('input').focus();
  };
  const serviceNames = Object.fromEntries(state.services.map((s) => [s.id, s.name]));
  const table = h('table', {},
    h('caption', { class: 'visually-hidden' }, _("Experts")),
    h('thead', {}, h('tr', {}, [_("Expert"), _("Services"), _("Time zone"), _("Branch"), _("Actions")].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, state.experts.map((e) => h('tr', { dataset: { expert: e.id } },
      h('th', { scope: 'row' }, e.name),
      h('td', {}, e.services.map((s) => serviceNames[s] || s).join(', ')),
      h('td', {}, e.timezone),
      h('td', {}, e.branch || '—'),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'small', 'aria-label': format(_("Edit %s"), e.name), onclick: () => edit(e) }, _("Edit")),
        h('a', { class: 'button small', href: `/expert?expert=${e.id}`, 'aria-label': format(_("Calendar of %s"), e.name) }, _("Calendar")),
        h('button', {
          type: 'button',
          class: 'small danger',
          'aria-label': format(_("Deactivate %s"), e.name),
          onclick: async () => {
            try {
              await api('PATCH', `/api/v1/experts/${e.id}`, { active: false });
              await reload(format(_("%s is no longer offered to customers; their bookings stay."), e.name));
            } catch (err) {
              say(box, err.message);
            }
          },
        }, _("Deactivate")))))));
  clear(sec.body, message ? note(message) : null, box,
    h('p', { class: 'hint' }, _("Only active experts are listed.")),
    h('div', { class: 'table-wrap' }, table),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'new-expert', onclick: () => edit(null) }, _("New expert"))),
    slot);
}

// -- users --------------------------------------------------------------------

function userForm(done) {
  const box = alertBox();
  const email = field({ label: _("Email address"), name: 'email', type: 'email', required: true, autocomplete: 'off' });
  const name = field({ label: _("Name"), name: 'name', required: true, maxlength: 200 });
  const role = field({
    label: _("Role"), name: 'role', type: 'select', value: 'staff',
    options: [{ value: 'staff', label: roleLabel('staff') }, { value: 'expert', label: roleLabel('expert') }, { value: 'admin', label: roleLabel('admin') }],
  });
  const expert = field({
    label: _("Expert"), name: 'expert_id', type: 'select',
    options: state.experts.map((e) => ({ value: e.id, label: e.name })),
    hint: _("The expert whose calendar this user manages."),
  });
  expert.hidden = true;
  role.input.addEventListener('change', () => {
    expert.hidden = role.input.value !== 'expert';
  });
  const password = field({
    label: _("Password"), name: 'password', type: 'password', required: true, autocomplete: 'new-password',
    hint: _("At least 12 characters. Tell it to the user in person."),
  });
  const form = h('form', { class: 'card user-form', novalidate: true },
    h('h3', {}, _("New user")), box, h('div', { class: 'field-grid wide' }, email, name, role, expert), password,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, _("Create user")),
      h('button', { type: 'button', onclick: () => done(null) }, _("Close"))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { email: email.input.value.trim(), name: name.input.value.trim(), role: role.input.value, password: password.input.value };
    if (body.role === 'expert') body.expert_id = Number(expert.input.value);
    try {
      const saved = await api('POST', '/api/v1/users', body);
      done(format(_("User %s created."), saved.email || body.email));
    } catch (e) {
      showProblem(form, box, e);
    }
  });
  return form;
}

async function usersSection(sec, message) {
  const box = alertBox();
  try {
    state.users = await api('GET', '/api/v1/users');
  } catch (e) {
    clear(sec.body, h('p', { class: 'alert alert-error', role: 'alert' }, format(_("The users cannot be listed: %s"), e.message)));
    return;
  }
  const slot = h('div', { class: 'editor-slot' });
  const reload = async (text) => {
    await usersSection(sec, text);
    sec.querySelector('h2').focus();
  };
  const expertNames = Object.fromEntries(state.experts.map((e) => [e.id, e.name]));
  const setActive = async (u, active) => {
    try {
      await api('PATCH', `/api/v1/users/${u.id}`, { active });
      await reload(active ? format(_("%s can sign in again."), u.email) : format(_("%s can no longer sign in."), u.email));
    } catch (e) {
      say(box, e.message);
    }
  };
  const table = h('table', {},
    h('caption', { class: 'visually-hidden' }, _("Users")),
    h('thead', {}, h('tr', {}, [_("User"), _("Email address"), _("Role"), _("Active"), _("Actions")].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, state.users.map((u) => h('tr', { class: u.active === false ? 'inactive' : null, dataset: { user: u.id } },
      h('th', { scope: 'row' }, u.name),
      h('td', {}, u.email),
      h('td', {}, roleLabel(u.role), u.expert_id ? h('span', { class: 'muted' }, ` (${expertNames[u.expert_id] || u.expert_id})`) : null),
      h('td', {}, yesNo(u.active !== false)),
      h('td', { class: 'row-actions' },
        u.active === false
          ? h('button', { type: 'button', class: 'small', 'aria-label': format(_("Reactivate %s"), u.email), onclick: () => setActive(u, true) }, _("Reactivate"))
          : h('button', { type: 'button', class: 'small danger', 'aria-label': format(_("Deactivate %s"), u.email), onclick: () => setActive(u, false) }, _("Deactivate")))))));
  clear(sec.body, message ? note(message) : null, box,
    h('div', { class: 'table-wrap' }, table),
    h('div', { class: 'actions' }, h('button', {
      type: 'button',
      class: 'new-user',
      onclick: () => {
        clear(slot, userForm((text) => (text ? reload(text) : (clear(slot), sec.querySelector('.new-user').focus()))));
        slot.querySelector('input').focus();
      },
    }, _("New user"))),
    slot);
}

// -- the page -----------------------------------------------------------------

start(async () => {
  header([]);
  const me = await requireUser(_("Administration"), ['admin']);
  header([
    { href: '/expert', label: _("Calendar") },
    { href: '/console', label: _("Console") },
    { href: '/admin', label: _("Admin"), current: true },
  ], h('span', { class: 'signed-in' }, me.name), h('button', { type: 'button', class: 'header-button', onclick: logout }, _("Sign out")));
  const services = section('services-title', _("Services"));
  const experts = section('experts-title', _("Experts"));
  const users = section('users-title', _("Users"));
  show(_("Administration"), h('h1', {}, _("Administration")),
    h('nav', { class: 'page-nav', 'aria-label': _("Sections") }, h('ul', {},
      [['#services-title', _("Services")], ['#experts-title', _("Experts")], ['#users-title', _("Users")]]
        .map(([href, label]) => h('li', {}, h('a', { href }, label))))),
    services, experts, users);
  await servicesSection(services);
  await expertsSection(experts);
  await usersSection(users);
});
