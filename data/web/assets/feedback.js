// Copyright 2026 The appoint developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// /feedback/{token}: after the session, the customer rates it from 0 to
// 10 and may add a comment. The token is the booking's manage token.

import {
  _, format, h, show, field, alertBox, say, api, showProblem, browserZone,
  formatDateTime, header, start,
} from './common.js';
import { loadServices } from './slot-picker.js';

const token = decodeURIComponent(location.pathname.replace(/^\/feedback\//, '').replace(/\/.*$/, ''));
const tz = browserZone();

function invalidLink() {
  const title = _("This link is not valid");
  show(title,
    h('h1', {}, title),
    h('p', {}, _("The link may be incomplete, or the booking may no longer exist. Please use the link in your most recent email from us.")),
    h('p', {}, h('a', { class: 'button primary', href: '/' }, _("Book an appointment"))));
}

function thanks(text) {
  const title = _("Thank you");
  show(title,
    h('h1', {}, title),
    h('div', { class: 'alert alert-ok', role: 'status' }, text),
    h('p', {}, h('a', { href: '/' }, _("Book another appointment"))));
}

function summary(b, service) {
  return h('p', { class: 'lead booking-summary' },
    format(_("%1$s with %2$s on %3$s"),
      service ? service.name : b.service,
      b.expert ? b.expert.name : '',
      formatDateTime(b.start, tz, { dateStyle: 'long', timeStyle: 'short' })));
}

function renderNotYet(b, service) {
  const title = _("Rate your session");
  const text = b.status === 'cancelled'
    ? _("This appointment was cancelled, so there is nothing to rate.")
    : b.status === 'no-show'
      ? _("This appointment did not take place, so there is nothing to rate.")
      : _("You can rate your session once it has taken place. Please come back afterwards.");
  show(title, h('h1', {}, title), summary(b, service), h('div', { class: 'alert alert-info' }, text));
}

function renderForm(b, service) {
  const box = alertBox();
  const legendId = 'rating-legend';
  const options = [];
  for (let i = 0; i <= 10; i += 1) {
    const id = `rating-${i}`;
    options.push(h('li', {},
      h('input', { type: 'radio', name: 'rating', id, value: String(i), required: true }),
      h('label', { for: id }, String(i))));
  }
  const rating = h('fieldset', { class: 'field rating', dataset: { field: 'rating' }, 'aria-describedby': 'rating-scale rating-error' },
    h('legend', { id: legendId }, _("How would you rate your session?"), h('span', { class: 'required', 'aria-hidden': 'true' }, ' *')),
    h('p', { class: 'hint', id: 'rating-scale' }, _("0 means very poor, 10 means excellent.")),
    h('ul', { class: 'rating-scale' }, options),
    h('p', { class: 'rating-ends', 'aria-hidden': 'true' }, h('span', {}, _("Very poor")), h('span', {}, _("Excellent"))),
    h('p', { class: 'error', id: 'rating-error', hidden: true }));
  const comment = field({ label: _("Anything you would like to tell us? (optional)"), name: 'comment', field: 'comment', type: 'textarea', rows: 4, maxlength: 2000 });
  const submit = h('button', { type: 'submit', class: 'primary' }, _("Send"));
  const form = h('form', { class: 'card narrow feedback-form', novalidate: true }, box, rating, comment, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const chosen = form.querySelector('input[name="rating"]:checked');
    if (!chosen) {
      const err = rating.querySelector('.error');
      err.textContent = _("Please choose a rating from 0 to 10.");
      err.hidden = false;
      say(box, _("Please correct the fields marked below."));
      form.querySelector('input[name="rating"]').focus();
      return;
    }
    const body = { rating: Number(chosen.value) };
    const text = comment.input.value.trim();
    if (text) body.comment = text;
    submit.disabled = true;
    try {
      await api('POST', `/api/v1/bookings/${encodeURIComponent(b.reference)}/feedback`, body, { token });
      thanks(_("Thank you for your feedback. It helps our experts and the rest of us."));
    } catch (e) {
      submit.disabled = false;
      if (e.status === 409) {
        thanks(_("You have already rated this session. Thank you!"));
      } else if (e.status === 401 || e.status === 404) {
        invalidLink();
      } else {
        showProblem(form, box, e);
      }
    }
  });
  const title = _("Rate your session");
  show(title, h('h1', {}, title), summary(b, service), form);
}

start(async () => {
  header([{ href: '/', label: _("Book an appointment") }]);
  if (!token || !/^[A-Za-z0-9_-]+$/.test(token)) {
    invalidLink();
    return;
  }
  let b;
  try {
    b = await api('GET', '/api/v1/manage', undefined, { token });
  } catch (e) {
    if (e.status === 401 || e.status === 403 || e.status === 404) {
      invalidLink();
      return;
    }
    throw e;
  }
  const service = (await loadServices().catch(() => [])).find((s) => s.id === b.service) || null;
  if (b.status !== 'completed') renderNotYet(b, service);
  else renderForm(b, service);
});
