// Copyright 2026 The appoint developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The booking site: a service, an expert (or whoever is first available),
// a time in the visitor's zone, the service's questions and the
// customer's details; then the confirmation with the reference, the video
// link, a calendar file and the manage link.
//
// ?service=ID&expert=ID preselect; &via=social marks an expert's shared
// link (the booking's channel is "social"). Each step is a history entry,
// so the browser's Back button goes back a step.

import {
  _, n_, format, h, clear, show, field, alertBox, say, api, ApiError, showProblem, browserZone,
  formatDateTime, formatTime, formatDay, header, start, currentLanguage,
} from './common.js';
import { SlotPicker, loadServices, zoneLabel } from './slot-picker.js';

const params = new URLSearchParams(location.search);

const state = {
  services: [],
  service: null, // the service object
  experts: [], // the service's experts
  expert: undefined, // an expert object, null for "first available", undefined before the choice
  slot: null,
  tz: browserZone(),
  channel: params.get('via') === 'social' ? 'social' : null,
  picker: null,
  details: null, // the details form, kept while the service stays the same
  booked: null,
  keys: new Map(), // request body → Idempotency-Key
};

const STEPS = ['services', 'experts', 'slots', 'details'];

function stepNames() {
  return [_("Service"), _("Expert"), _("Time"), _("Your details")];
}

// "Step 2 of 4" and the list of steps, the current one marked
function progress(step) {
  const names = stepNames();
  const i = STEPS.indexOf(step);
  return h('nav', { class: 'steps', 'aria-label': _("Booking steps") },
    h('ol', {}, names.map((n, j) => h('li', {
      class: j < i ? 'done' : (j === i ? 'current' : ''),
      'aria-current': j === i ? 'step' : null,
    }, h('span', { class: 'step-number', 'aria-hidden': 'true' }, String(j + 1)), ' ', n))),
    h('p', { class: 'visually-hidden' }, format(_("Step %1$s of %2$s"), String(i + 1), String(names.length))));
}

function backButton(label = _("Back")) {
  return h('button', { type: 'button', class: 'back', onclick: () => history.back() },
    h('span', { 'aria-hidden': 'true' }, '← '), label);
}

function minutes(n) {
  return format(n_("%s minute", "%s minutes", n), String(n));
}

function expertName(id) {
  const e = state.experts.find((x) => x.id === id);
  return e ? e.name : '';
}

// -- history --------------------------------------------------------------

function go(step, replace = false) {
  const q = new URLSearchParams();
  if (state.service) q.set('service', state.service.id);
  if (state.expert) q.set('expert', String(state.expert.id));
  if (state.channel) q.set('via', state.channel);
  const url = `${location.pathname}${q.toString() ? `?${q}` : ''}`;
  if (replace) history.replaceState({ step }, '', url);
  else history.pushState({ step }, '', url);
  render(step);
}

function render(step) {
  if (step === 'done' && state.booked) return renderDone();
  if (step === 'details' && state.slot) return renderDetails();
  if ((step === 'slots' || step === 'details') && state.service && state.expert !== undefined) return renderSlots();
  if ((step === 'experts' || step === 'slots' || step === 'details') && state.service) return renderExperts();
  return renderServices();
}

window.addEventListener('popstate', (e) => {
  const step = (e.state && e.state.step) || 'services';
  if (state.booked && step !== 'done') {
    // after a booking, going back starts a new one
    state.booked = null;
    state.slot = null;
    state.details = null;
    state.keys.clear();
    if (state.picker) state.picker.selected = null;
  }
  // the choices stay, so Forward returns to them; choosing again replaces them
  render(step);
});

// -- step 1: the service --------------------------------------------------

function renderServices() {
  let list = state.services;
  const only = state.onlyServices;
  if (only) list = list.filter((s) => only.includes(s.id));
  const title = _("Book a free video consultation");
  show(title,
    h('h1', {}, title),
    progress('services'),
    h('p', { class: 'lead' }, _("Talk one to one with one of our experts by video, at a time that suits you. It is free, and there is no obligation to buy.")),
    h('h2', {}, _("What would you like help with?")),
    h('ul', { class: 'choices' }, list.map((s) => h('li', { class: 'card choice' },
      h('h3', {}, s.name),
      h('p', {}, s.description || ''),
      h('p', { class: 'muted' }, minutes(s.duration_minutes)),
      h('button', { type: 'button', class: 'primary', dataset: { service: s.id }, onclick: () => chooseService(s) },
        _("Choose"), h('span', { class: 'visually-hidden' }, ` ${s.name}`))))));
}

async function chooseService(s, replace = false) {
  // an expert's shared link for several services: once the service is
  // chosen, so is the expert
  const pending = state.pendingExpert;
  state.pendingExpert = null;
  state.onlyServices = null;
  if (!state.service || state.service.id !== s.id) {
    state.details = null;
    state.slot = null;
    state.picker = null;
  }
  state.service = s;
  state.expert = undefined;
  state.experts = await api('GET', `/api/v1/experts?service=${encodeURIComponent(s.id)}`);
  const e = pending ? state.experts.find((x) => x.id === pending) : null;
  if (e) {
    history.pushState({ step: 'experts' }, '', location.href);
    chooseExpert(e);
    return;
  }
  go('experts', replace);
}

// -- step 2: the expert ---------------------------------------------------

function renderExperts() {
  const s = state.service;
  const title = _("Choose your expert");
  show(title,
    h('h1', {}, title),
    progress('experts'),
    h('p', { class: 'lead' }, format(_("%1$s, %2$s"), s.name, minutes(s.duration_minutes))),
    h('div', { class: 'actions' }, backButton()),
    h('ul', { class: 'choices experts' },
      h('li', { class: 'card choice first-available' },
        h('h2', {}, _("First available")),
        h('p', {}, _("Any of our experts for this service: you see every free time.")),
        h('button', { type: 'button', class: 'primary', dataset: { expert: 'any' }, onclick: () => chooseExpert(null) },
          _("Choose"), h('span', { class: 'visually-hidden' }, ` ${_("First available")}`))),
      state.experts.map((e) => h('li', { class: 'card choice' },
        h('h2', {}, e.name),
        e.branch ? h('p', { class: 'branch muted' }, e.branch) : null,
        e.bio ? h('p', {}, e.bio) : null,
        h('button', { type: 'button', class: 'primary', dataset: { expert: String(e.id) }, onclick: () => chooseExpert(e) },
          _("Choose"), h('span', { class: 'visually-hidden' }, ` ${e.name}`))))));
}

function chooseExpert(e, replace = false) {
  const id = e ? e.id : null;
  if (!state.picker || state.picker.service !== state.service.id) {
    state.picker = new SlotPicker({
      service: state.service.id, expert: id, tz: state.tz, label: _("Free times"), onSelect: onSlot,
    });
    state.picker.loaded = false;
  } else if (state.picker.expert !== id) {
    state.picker.selected = null;
    state.slot = null;
    state.picker.expert = id;
    state.picker.stale = true;
  }
  state.expert = e;
  go('slots', replace);
}

// -- step 3: the time -----------------------------------------------------

let onSlotView = null;

function onSlot(slot) {
  state.slot = slot;
  state.tz = state.picker.tz;
  if (onSlotView) onSlotView(slot);
}

function slotText(slot, tz) {
  return format(_("%1$s (%2$s time)"), formatDateTime(slot.start, tz), zoneLabel(tz));
}

function renderSlots() {
  const s = state.service;
  const picker = state.picker;
  const title = _("Choose a time");
  const chosen = h('p', { class: 'chosen', role: 'status' });
  const next = h('button', { type: 'button', class: 'primary', disabled: true, onclick: () => go('details') }, _("Continue"));
  onSlotView = (slot) => {
    chosen.textContent = slot ? format(_("Chosen: %s"), slotText(slot, picker.tz)) : '';
    next.disabled = !slot;
  };
  show(title,
    h('h1', {}, title),
    progress('slots'),
    h('p', { class: 'lead' }, state.expert
      ? format(_("%1$s with %2$s"), s.name, state.expert.name)
      : format(_("%s with the first available expert"), s.name)),
    h('div', { class: 'actions' }, backButton()),
    picker.element,
    h('div', { class: 'sticky-continue' }, chosen, h('div', { class: 'actions' }, next)));
  onSlotView(picker.selected);
  if (!picker.loaded) {
    picker.loaded = true;
    picker.stale = false;
    return picker.load();
  }
  if (picker.stale) {
    picker.stale = false;
    return picker.refresh();
  }
  return null;
}

// -- step 4: the questions and the customer -------------------------------

function questionField(q) {
  const spec = { label: q.label, name: `answers.${q.id}`, field: `answers.${q.id}`, required: !!q.required, hint: q.hint || null };
  switch (q.type) {
    case 'long-text':
      return field({ ...spec, type: 'textarea', rows: 4, maxlength: 2000 });
    case 'choice':
      return field({ ...spec, type: 'select', options: [{ value: '', label: _("Please choose") }, ...(q.choices || []).map((c) => ({ value: c, label: c }))] });
    case 'boolean':
      return field({ ...spec, type: 'select', options: [{ value: '', label: _("Please choose") }, { value: 'true', label: _("Yes") }, { value: 'false', label: _("No") }] });
    case 'date':
      return field({ ...spec, type: 'date' });
    case 'number':
      return field({ ...spec, type: 'number', inputmode: 'decimal', step: 'any' });
    default:
      return field({ ...spec, type: 'text', maxlength: 2000 });
  }
}

function buildDetails() {
  const s = state.service;
  const questions = (s.questions || []).map((q) => ({ q, f: questionField(q) }));
  const name = field({ label: _("Your name"), name: 'name', field: 'customer.name', required: true, autocomplete: 'name', maxlength: 200 });
  const email = field({
    label: _("Email address"), name: 'email', field: 'customer.email', type: 'email', required: true, autocomplete: 'email',
    hint: _("We send the confirmation and the video link here."),
  });
  const phone = field({
    label: _("Phone number (optional)"), name: 'phone', field: 'customer.phone', type: 'tel', autocomplete: 'tel',
    hint: _("Only used if your expert needs to reach you."),
  });
  const box = alertBox();
  const conflict = h('section', { class: 'conflict card', hidden: true, 'aria-labelledby': 'conflict-title' },
    h('h2', { id: 'conflict-title' }, _("Choose another time")),
    h('div', { class: 'next-free' }),
    h('div', { class: 'conflict-picker' }));
  const summary = h('div', { class: 'card summary' });
  const submit = h('button', { type: 'submit', class: 'primary' }, _("Book appointment"));
  const form = h('form', { class: 'booking-form', novalidate: true },
    box,
    conflict,
    questions.length ? h('fieldset', { class: 'questions' },
      h('legend', {}, format(_("About your %s session"), s.name)),
      questions.map((x) => x.f)) : null,
    h('fieldset', { class: 'customer' },
      h('legend', {}, _("Your contact details")),
      name, email, phone),
    h('p', { class: 'hint' }, _("Fields marked * are required.")),
    h('div', { class: 'actions' }, submit));
  const d = { form, box, summary, conflict, submit, questions, name, email, phone };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitBooking(d);
  });
  return d;
}

function renderSummary(d) {
  const slot = state.slot;
  const tz = state.picker.tz;
  const who = state.expert ? state.expert.name : (slot.experts.length === 1 ? expertName(slot.experts[0]) || _("First available expert") : _("First available expert"));
  clear(d.summary,
    h('h2', {}, _("Your appointment")),
    h('dl', { class: 'facts' },
      h('dt', {}, _("Service")), h('dd', {}, format(_("%1$s, %2$s"), state.service.name, minutes(state.service.duration_minutes))),
      h('dt', {}, _("Expert")), h('dd', {}, who),
      h('dt', {}, _("When")), h('dd', { class: 'when' }, slotText(slot, tz))),
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => history.back() }, _("Change time"))));
}

function renderDetails() {
  if (!state.details) state.details = buildDetails();
  const d = state.details;
  onSlotView = (slot) => {
    if (slot) renderSummary(d);
  };
  renderSummary(d);
  const title = _("Your details");
  show(title,
    h('h1', {}, title),
    progress('details'),
    d.summary,
    d.form);
}

function answers(d) {
  const out = {};
  for (const { q, f } of d.questions) {
    const v = f.input.value.trim();
    if (v === '') continue;
    if (q.type === 'boolean') out[q.id] = v === 'true';
    else if (q.type === 'number') out[q.id] = Number(v);
    else out[q.id] = q.type === 'long-text' ? f.input.value : v;
  }
  return out;
}

// the mistakes a browser can see, in the visitor's language
function localErrors(d) {
  const errors = [];
  for (const { q, f } of d.questions) {
    if (q.required && f.input.value.trim() === '') errors.push({ field: `answers.${q.id}`, message: _("Please answer this question.") });
  }
  if (d.name.input.value.trim() === '') errors.push({ field: 'customer.name', message: _("Please enter your name.") });
  const email = d.email.input.value.trim();
  if (email === '') errors.push({ field: 'customer.email', message: _("Please enter your email address.") });
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.push({ field: 'customer.email', message: _("Please enter an email address such as name@example.com.") });
  return errors;
}

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

async function submitBooking(d) {
  if (d.busy) return;
  const local = localErrors(d);
  if (local.length) {
    showProblem(d.form, d.box, new ApiError(422, { errors: local }));
    return;
  }
  if (!state.slot) {
    say(d.box, _("Please choose a time first."));
    return;
  }
  const tz = state.picker.tz;
  const body = {
    service: state.service.id,
    start: state.slot.start,
    customer: {
      name: d.name.input.value.trim(),
      email: d.email.input.value.trim(),
      locale: currentLanguage(),
      timezone: tz,
    },
    answers: answers(d),
  };
  const phone = d.phone.input.value.trim();
  if (phone) body.customer.phone = phone;
  if (state.expert) body.expert = state.expert.id;
  if (state.channel) body.channel = state.channel;
  // the same request sent twice (a double click, a retry) books once
  const text = JSON.stringify(body);
  if (!state.keys.has(text)) state.keys.set(text, newKey());
  d.busy = true;
  d.submit.disabled = true;
  d.submit.setAttribute('aria-busy', 'true');
  say(d.box, '');
  try {
    const booked = await api('POST', '/api/v1/bookings', body, { headers: { 'Idempotency-Key': state.keys.get(text) } });
    state.booked = { ...booked, tz };
    go('done');
  } catch (e) {
    const startProblem = e.status === 422 && ((e.problem.errors || []).some((x) => x.field === 'start'));
    if (e.status === 409 || startProblem) {
      await slotTaken(d);
    } else {
      showProblem(d.form, d.box, e);
    }
  } finally {
    d.busy = false;
    d.submit.disabled = false;
    d.submit.removeAttribute('aria-busy');
  }
}

// the time went to someone else: keep everything typed, offer the next
// free times and the week's picker right in the form
async function slotTaken(d) {
  const taken = state.slot;
  const picker = state.picker;
  state.slot = null;
  picker.selected = null;
  showProblem(d.form, d.box, null);
  say(d.box, _("Sorry, that time has just been booked by someone else. Everything you typed is kept: please choose another time below, then book again."));
  d.conflict.hidden = false;
  d.conflict.querySelector('.conflict-picker').append(picker.element);
  await picker.refresh();
  const later = picker.slots.filter((s) => s.start > taken.start).slice(0, 3);
  const next = d.conflict.querySelector('.next-free');
  clear(next, later.length
    ? [h('p', {}, _("The next free times:")),
      h('ul', { class: 'quick-picks' }, later.map((s) => h('li', {},
        h('button', { type: 'button', class: 'quick-pick', dataset: { start: s.start }, onclick: () => picker.select(s.start) },
          `${formatDay(new Date(s.start), picker.tz, { weekday: 'short', day: 'numeric', month: 'short' })}, ${formatTime(s.start, picker.tz)}`))))]
    : null);
  onSlotView = (slot) => {
    if (!slot) return;
    renderSummary(d);
    for (const b of next.querySelectorAll('.quick-pick')) b.setAttribute('aria-pressed', b.dataset.start === slot.start ? 'true' : 'false');
    say(d.box, format(_("New time chosen: %s. Press “Book appointment” to book it."), slotText(slot, picker.tz)));
  };
  clear(d.summary, h('h2', {}, _("Your appointment")), h('p', {}, _("Please choose another time.")));
  d.box.focus?.();
}

// -- the confirmation -----------------------------------------------------

function renderDone() {
  const b = state.booked;
  const tz = b.tz;
  const managePath = `/manage/${encodeURIComponent(b.token)}`;
  const title = _("Your appointment is booked");
  show(title,
    h('h1', {}, title),
    h('div', { class: 'alert alert-ok', role: 'status' },
      h('p', {}, _("Your booking reference:"), ' ', h('strong', { class: 'reference' }, b.reference)),
      h('p', {}, format(_("We have sent a confirmation to %s."), b.customer ? b.customer.email : ''))),
    h('div', { class: 'card' },
      h('dl', { class: 'facts' },
        h('dt', {}, _("Service")), h('dd', {}, state.service ? state.service.name : b.service),
        h('dt', {}, _("Expert")), h('dd', { class: 'expert' }, b.expert ? b.expert.name : ''),
        h('dt', {}, _("When")), h('dd', { class: 'when' }, slotText(b, tz)),
        h('dt', {}, _("Video link")), h('dd', {}, h('a', { href: b.video_url, class: 'video-link', rel: 'noopener' }, b.video_url))),
      state.service && state.service.preparation ? [h('h2', {}, _("How to prepare")), h('p', {}, state.service.preparation)] : null,
      h('div', { class: 'actions' },
        h('a', { class: 'button primary add-calendar', href: `${managePath}/invite.ics`, download: `appointment-${b.reference}.ics` }, _("Add to calendar")),
        h('a', { class: 'button manage-link', href: managePath }, _("Change or cancel")))),
    h('p', { class: 'muted' }, _("Keep this page or the email: the link to change or cancel your appointment is in both.")),
    h('p', {}, h('a', { href: '/' }, _("Book another appointment"))));
}

// -- start ----------------------------------------------------------------

start(async () => {
  header([{ href: '/', label: _("Book an appointment"), current: true }]);
  state.services = (await loadServices()).filter((s) => s.active !== false);
  const serviceId = params.get('service');
  const expertId = params.get('expert') ? Number(params.get('expert')) : null;
  let service = state.services.find((s) => s.id === serviceId) || null;
  if (!service && expertId) {
    // an expert's shared link: their services, or straight on with the only one
    const all = await api('GET', '/api/v1/experts').catch(() => []);
    const e = all.find((x) => x.id === expertId);
    if (e) {
      const theirs = state.services.filter((s) => (e.services || []).includes(s.id));
      if (theirs.length === 1) service = theirs[0];
      else if (theirs.length > 1) state.onlyServices = theirs.map((s) => s.id);
    }
  }
  if (!service) {
    go('services', true);
    if (expertId) state.pendingExpert = expertId;
    return;
  }
  await preselect(service, expertId);
});

async function preselect(service, expertId) {
  state.service = service;
  state.experts = await api('GET', `/api/v1/experts?service=${encodeURIComponent(service.id)}`);
  const e = expertId ? state.experts.find((x) => x.id === expertId) : null;
  history.replaceState({ step: 'services' }, '', location.href);
  if (e) {
    history.pushState({ step: 'experts' }, '', location.href);
    chooseExpert(e);
  } else {
    go('experts');
  }
}
