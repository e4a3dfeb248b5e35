// Copyright 2026 The appoint developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// /manage/{token}: the customer's own booking, from the link in the
// confirmation. They see it in their zone, join the video, add it to a
// calendar, move it to another time or cancel it.

import {
  _, format, h, show, field, alertBox, say, api, showProblem, browserZone,
  formatDateTime, header, start,
} from './common.js';
import { SlotPicker, loadServices, zoneLabel, zoneOptions } from './slot-picker.js';

const token = decodeURIComponent(location.pathname.replace(/^\/manage\//, '').replace(/\/.*$/, ''));

let booking = null;
let service = null;
let tz = browserZone();

const STATUS = () => ({
  confirmed: _("Confirmed"),
  cancelled: _("Cancelled"),
  completed: _("Completed"),
  'no-show': _("Missed"),
});

function statusText(s) {
  return STATUS()[s] || s;
}

function when(b) {
  return format(_("%1$s (%2$s time)"), formatDateTime(b.start, tz), zoneLabel(tz));
}

function canChange(b) {
  return b.status === 'confirmed' && new Date(b.start).getTime() > Date.now();
}

function invalidLink() {
  const title = _("This link is not valid");
  show(title,
    h('h1', {}, title),
    h('p', {}, _("The link may be incomplete, or the booking may no longer exist. Please use the link in your most recent email from us, or book again.")),
    h('p', {}, h('a', { class: 'button primary', href: '/' }, _("Book an appointment"))));
}

function facts(b) {
  const answers = Object.entries(b.answers || {});
  const questions = (service && service.questions) || [];
  const label = (id) => (questions.find((q) => q.id === id) || {}).label || id;
  const value = (v) => (v === true ? _("Yes") : v === false ? _("No") : String(v));
  return h('dl', { class: 'facts' },
    h('dt', {}, _("Reference")), h('dd', { class: 'reference' }, b.reference),
    h('dt', {}, _("Status")), h('dd', { class: `booking-status booking-status-${b.status}` }, statusText(b.status)),
    h('dt', {}, _("Service")), h('dd', {}, service ? service.name : b.service),
    h('dt', {}, _("Expert")), h('dd', { class: 'expert' }, b.expert ? b.expert.name : ''),
    h('dt', {}, _("When")), h('dd', { class: 'when' }, when(b)),
    b.status === 'confirmed' && b.video_url
      ? [h('dt', {}, _("Video link")), h('dd', {}, h('a', { href: b.video_url, class: 'video-link', rel: 'noopener' }, b.video_url))]
      : null,
    b.cancel_reason ? [h('dt', {}, _("Reason for cancelling")), h('dd', {}, b.cancel_reason)] : null,
    answers.map(([k, v]) => [h('dt', {}, label(k)), h('dd', {}, value(v))]));
}

function renderBooking(message) {
  const b = booking;
  const title = _("Your appointment");
  const note = message && b.status !== 'cancelled' ? h('div', { class: 'alert alert-ok', role: 'status' }, message) : null;
  const cancelled = b.status === 'cancelled'
    ? h('div', { class: 'alert alert-error cancelled-notice', role: message ? 'status' : null },
      h('p', {}, h('strong', {}, _("This appointment has been cancelled."))),
      message ? h('p', {}, message) : null,
      h('p', {}, h('a', { href: `/?service=${encodeURIComponent(b.service)}` }, _("Book a new appointment"))))
    : null;
  const zoneId = 'manage-zone';
  const zone = h('select', {
    id: zoneId,
    onchange: (e) => {
      tz = e.target.value;
      renderBooking();
    },
  }, zoneOptions(tz).map((o) => h('option', { value: o.value, selected: o.value === tz }, o.label)));
  show(title,
    h('h1', {}, title),
    note,
    cancelled,
    h('div', { class: `card booking-card${b.status === 'cancelled' ? ' is-cancelled' : ''}` },
      facts(b),
      h('div', { class: 'field zone-field' }, h('label', { for: zoneId }, _("Show times in")), zone)),
    canChange(b)
      ? h('div', { class: 'actions' },
        h('a', { class: 'button add-calendar', href: `/manage/${encodeURIComponent(token)}/invite.ics`, download: `appointment-${b.reference}.ics` }, _("Add to calendar")),
        h('button', { type: 'button', class: 'primary', onclick: renderReschedule }, _("Change the time")),
        h('button', { type: 'button', class: 'danger', onclick: renderCancel }, _("Cancel appointment")))
      : null,
    b.status === 'confirmed' && !canChange(b)
      ? h('p', { class: 'muted' }, _("This appointment has started, so it can no longer be changed online."))
      : null);
}

// -- reschedule -----------------------------------------------------------

function renderReschedule() {
  const b = booking;
  const box = alertBox();
  const chosen = h('p', { class: 'chosen', role: 'status' });
  const confirm = h('button', { type: 'submit', class: 'primary', disabled: true }, _("Move my appointment"));
  let keepExpert = true;
  const picker = new SlotPicker({
    service: b.service,
    expert: b.expert ? b.expert.id : null,
    tz,
    label: _("Free times"),
    onSelect: (slot) => {
      chosen.textContent = format(_("New time: %s"), format(_("%1$s (%2$s time)"), formatDateTime(slot.start, picker.tz), zoneLabel(picker.tz)));
      confirm.disabled = false;
    },
  });
  // a choice the new list no longer holds is dropped
  const sync = () => {
    if (!picker.selected) {
      chosen.textContent = '';
      confirm.disabled = true;
    }
  };
  const who = h('fieldset', { class: 'expert-choice' },
    h('legend', {}, _("Who would you like to see?")),
    radio('who', 'same', b.expert ? format(_("%s again"), b.expert.name) : _("The same expert"), true, () => {
      keepExpert = true;
      picker.setExpert(b.expert ? b.expert.id : null).then(sync);
    }),
    radio('who', 'any', _("Any available expert"), false, () => {
      keepExpert = false;
      picker.setExpert(null).then(sync);
    }));
  const form = h('form', { class: 'reschedule-form', novalidate: true }, box, who, picker.element, chosen,
    h('div', { class: 'actions' }, confirm,
      h('button', { type: 'button', onclick: () => renderBooking() }, _("Keep the current time"))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!picker.selected) return;
    const body = { start: picker.selected.start };
    if (keepExpert && b.expert) body.expert = b.expert.id;
    else if (!keepExpert && picker.selected.experts.length && b.expert && !picker.selected.experts.includes(b.expert.id)) body.expert = picker.selected.experts[0];
    confirm.disabled = true;
    try {
      booking = await api('POST', `/api/v1/bookings/${encodeURIComponent(b.reference)}/reschedule`, body, { token });
      tz = picker.tz;
      renderBooking(format(_("Your appointment has moved to %s. We have emailed you the new details."), when(booking)));
    } catch (e) {
      if (e.status === 409 || (e.status === 422 && (e.problem.errors || []).some((x) => x.field === 'start'))) {
        say(box, _("Sorry, that time has just been booked by someone else. Please choose another time."));
        chosen.textContent = '';
        picker.selected = null;
        await picker.refresh();
      } else {
        showProblem(form, box, e);
        confirm.disabled = false;
      }
    }
  });
  const title = _("Change the time");
  show(title,
    h('h1', {}, title),
    h('p', { class: 'lead' }, format(_("Now: %s"), when(b))),
    form);
  picker.load();
}

function radio(name, value, label, checked, onchange) {
  const id = `${name}-${value}`;
  return h('div', { class: 'radio' },
    h('input', { type: 'radio', id, name, value, checked, onchange }),
    h('label', { for: id }, label));
}

// -- cancel ---------------------------------------------------------------

function renderCancel() {
  const b = booking;
  const box = alertBox();
  const reason = field({ label: _("Reason (optional)"), name: 'reason', field: 'reason', type: 'textarea', rows: 3, maxlength: 500, hint: _("It helps us to know, but you do not have to say.") });
  const form = h('form', { class: 'card narrow cancel-form', novalidate: true }, box,
    h('p', {}, format(_("Cancel your %1$s appointment on %2$s?"), service ? service.name : b.service, when(b))),
    reason,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'danger' }, _("Yes, cancel it")),
      h('button', { type: 'button', onclick: () => renderBooking() }, _("No, keep it"))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = reason.input.value.trim();
    try {
      booking = await api('POST', `/api/v1/bookings/${encodeURIComponent(b.reference)}/cancel`, text ? { reason: text } : {}, { token });
      renderBooking(_("We have emailed you to confirm."));
    } catch (e) {
      if (e.status === 409) {
        await reload();
        renderBooking();
      } else {
        showProblem(form, box, e);
      }
    }
  });
  const title = _("Cancel appointment");
  show(title, h('h1', {}, title), form);
}

async function reload() {
  booking = await api('GET', '/api/v1/manage', undefined, { token });
}

start(async () => {
  header([{ href: '/', label: _("Book an appointment") }]);
  if (!token || !/^[A-Za-z0-9_-]+$/.test(token)) {
    invalidLink();
    return;
  }
  try {
    await reload();
  } catch (e) {
    if (e.status === 401 || e.status === 403 || e.status === 404) {
      invalidLink();
      return;
    }
    throw e;
  }
  service = (await loadServices().catch(() => [])).find((s) => s.id === booking.service) || null;
  renderBooking();
});
