// Copyright 2026 The appoint developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The customer's pages in Chromium against a real appointd with demo
// data: booking step by step, the manage page (reschedule, cancel), a slot
// taken in the meantime, an expert's shared link, the keyboard in the slot
// picker, a visitor in New York, a 360 px screen, and the feedback page;
// axe-core on every step and a screenshot of each.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Daemon, launch, newPage, assertNoProblems, checkAccessibility, screenshot, test, run, assert, assertEqual } from './harness.mjs';

const daemon = new Daemon();
let browser;
let staff;
let first = null; // the first booking: {reference, manage}

const AMELIA = 1; // personal-styling only
const RHYS = 2; // personal-styling and home-design

// the slot buttons of the week shown, jumping ahead when this week is full
async function waitForSlots(page) {
  await page.waitForSelector('.slot-picker button.slot, .slot-picker .slot-empty button');
  if (await page.$('.slot-picker .slot-empty button')) {
    await page.click('.slot-picker .slot-empty button');
    await page.waitForSelector('.slot-picker button.slot');
  }
  return page.$$('.slot-picker button.slot');
}

async function startBooking(page, service, expert) {
  await page.goto(`${daemon.url}/`);
  await page.waitForSelector(`button[data-service="${service}"]`);
  await page.click(`button[data-service="${service}"]`);
  await page.waitForSelector(`button[data-expert="${expert}"]`);
  await page.click(`button[data-expert="${expert}"]`);
  return waitForSlots(page);
}

// chooses the @n-th slot shown and continues to the details; its start
async function chooseSlot(page, n = 0) {
  const slots = await page.$$('.slot-picker button.slot');
  const start = await slots[n].getAttribute('data-start');
  await slots[n].click();
  await page.click('.sticky-continue button.primary');
  await page.waitForSelector('form.booking-form');
  return start;
}

async function fillDetails(page, { name = 'Chloe Martin', email = 'chloe@example.net', occasion = 'Work', sizes = 'UK 12' } = {}) {
  await page.selectOption('select[name="answers.occasion"]', occasion);
  await page.fill('input[name="answers.sizes"]', sizes);
  await page.fill('input[name="name"]', name);
  await page.fill('input[name="email"]', email);
}

async function staffGet(path) {
  const r = await daemon.api('GET', path, undefined, staff);
  assertEqual(r.status, 200, `GET ${path}`);
  return r.data;
}

function sameInstant(a, b) {
  return Date.parse(a) === Date.parse(b);
}

test('start appointd and Chromium', async () => {
  await daemon.start();
  daemon.addUser('sam@example.com', 'Sam Staff', 'staff');
  staff = daemon.token('sam@example.com');
  browser = await launch();
});

test('a customer books through the pages', async () => {
  const page = await newPage(browser);
  await page.goto(`${daemon.url}/`);
  await page.waitForSelector('button[data-service="personal-styling"]');
  await checkAccessibility(page, 'services');
  await screenshot(page, 'customer-1-services');
  await page.click('button[data-service="personal-styling"]');
  await page.waitForSelector(`button[data-expert="${AMELIA}"]`);
  await checkAccessibility(page, 'experts');
  await screenshot(page, 'customer-2-experts');
  await page.click(`button[data-expert="${AMELIA}"]`);
  await waitForSlots(page);
  await checkAccessibility(page, 'slots');
  await screenshot(page, 'customer-3-slots');
  const start = await chooseSlot(page, 0);
  await fillDetails(page, { occasion: 'Wedding or formal event', sizes: 'UK 12, shoes 6' });
  await page.fill('textarea[name="answers.notes"]', 'Loves green');
  await page.fill('input[name="phone"]', '+44 20 7946 0000');
  await checkAccessibility(page, 'questions');
  await screenshot(page, 'customer-4-details');
  // a double click books once
  await page.dblclick('form.booking-form button[type="submit"]');
  await page.waitForSelector('.reference');
  await checkAccessibility(page, 'confirmation');
  await screenshot(page, 'customer-5-confirmation');
  const reference = (await page.textContent('.alert .reference')).trim();
  const manage = await page.getAttribute('a.manage-link', 'href');
  const ics = await page.getAttribute('a.add-calendar', 'href');
  assertEqual(ics, `${manage}/invite.ics`, 'the calendar link');
  const cal = await fetch(daemon.url + ics);
  assertEqual(cal.status, 200, 'GET invite.ics');
  assert((cal.headers.get('content-type') || '').startsWith('text/calendar'), `invite.ics type: ${cal.headers.get('content-type')}`);
  assert((await cal.text()).includes('BEGIN:VEVENT'), 'invite.ics holds an event');
  const b = await staffGet(`/api/v1/bookings/${reference}`);
  assert(sameInstant(b.start, start), `start ${b.start} vs ${start}`);
  assertEqual(b.expert.id, AMELIA, 'expert');
  assertEqual(b.answers.occasion, 'Wedding or formal event', 'answers.occasion');
  assertEqual(b.answers.notes, 'Loves green', 'answers.notes');
  assertEqual(b.customer.timezone, 'Europe/London', 'customer.timezone');
  assertEqual(b.channel, 'web', 'channel');
  const list = await staffGet('/api/v1/bookings?q=chloe%40example.net');
  assertEqual(list.length, 1, 'bookings for the double click');
  // the confirmation email
  let mail = [];
  for (let i = 0; i < 50 && !mail.some((m) => m.includes(reference)); i += 1) {
    await new Promise((r) => setTimeout(r, 100));
    mail = daemon.mail();
  }
  assert(mail.some((m) => m.includes(reference) && m.includes('chloe@example.net')), 'a confirmation in the Maildir');
  first = { reference, manage };
  assertNoProblems(page);
  await page.context().close();
});

test('the customer reschedules and cancels on the manage page', async () => {
  assert(first, 'needs the booking above');
  const page = await newPage(browser);
  await page.goto(daemon.url + first.manage);
  await page.waitForSelector('dd.reference');
  assertEqual((await page.textContent('dd.reference')).trim(), first.reference, 'reference shown');
  await checkAccessibility(page, 'manage');
  await screenshot(page, 'customer-6-manage');
  await page.click('text=Change the time');
  const slots = await waitForSlots(page);
  await checkAccessibility(page, 'reschedule');
  await screenshot(page, 'customer-7-reschedule');
  const target = slots[Math.min(3, slots.length - 1)];
  const start = await target.getAttribute('data-start');
  await target.click();
  await page.click('form.reschedule-form button[type="submit"]');
  await page.waitForSelector('.alert-ok');
  let b = await staffGet(`/api/v1/bookings/${first.reference}`);
  assert(sameInstant(b.start, start), `rescheduled to ${b.start}, expected ${start}`);
  assertEqual(b.status, 'confirmed', 'status');
  await page.click('button.danger');
  await page.waitForSelector('form.cancel-form');
  await page.fill('textarea[name="reason"]', 'Plans changed');
  await checkAccessibility(page, 'cancel');
  await screenshot(page, 'customer-8-cancel');
  await page.click('form.cancel-form button.danger');
  await page.waitForSelector('.cancelled-notice');
  await checkAccessibility(page, 'cancelled');
  await screenshot(page, 'customer-9-cancelled');
  b = await staffGet(`/api/v1/bookings/${first.reference}`);
  assertEqual(b.status, 'cancelled', 'status');
  assertEqual(b.cancel_reason, 'Plans changed', 'reason');
  assert(!(await page.$('button.danger')), 'no cancel button once cancelled');
  assertNoProblems(page);
  await page.context().close();
});

test('a link with a wrong token says so', async () => {
  const page = await newPage(browser);
  for (const path of ['/manage/not-a-real-token', '/feedback/not-a-real-token']) {
    await page.goto(daemon.url + path);
    await page.waitForSelector('main h1');
    await page.waitForFunction(() => !document.querySelector('main .loading'));
    assertEqual(await page.textContent('main h1'), 'This link is not valid', path);
  }
  await checkAccessibility(page, 'invalid link');
  await screenshot(page, 'customer-invalid-link');
  assertNoProblems(page);
  await page.context().close();
});

test('a time taken meanwhile keeps the answers and offers others', async () => {
  const page = await newPage(browser);
  await startBooking(page, 'personal-styling', AMELIA);
  const start = await chooseSlot(page, 2);
  await fillDetails(page, { name: 'Dana Lee', email: 'dana@example.net', occasion: 'Holiday', sizes: 'UK 10' });
  await page.fill('textarea[name="answers.notes"]', 'Linen, please');
  const other = await daemon.api('POST', '/api/v1/bookings', {
    service: 'personal-styling', start, expert: AMELIA,
    customer: { name: 'Someone Else', email: 'else@example.net' }, answers: { occasion: 'Work' },
  });
  assertEqual(other.status, 201, 'the other booking');
  await page.click('form.booking-form button[type="submit"]');
  await page.waitForSelector('.conflict:not([hidden]) button.slot');
  const message = await page.textContent('.booking-form .alert-error');
  assert(/just been booked/.test(message), `the conflict message: ${message}`);
  assertEqual(await page.inputValue('select[name="answers.occasion"]'), 'Holiday', 'occasion kept');
  assertEqual(await page.inputValue('input[name="answers.sizes"]'), 'UK 10', 'sizes kept');
  assertEqual(await page.inputValue('textarea[name="answers.notes"]'), 'Linen, please', 'notes kept');
  assertEqual(await page.inputValue('input[name="name"]'), 'Dana Lee', 'name kept');
  assertEqual(await page.inputValue('input[name="email"]'), 'dana@example.net', 'email kept');
  const offered = await page.$$eval('.conflict button.slot', (bs) => bs.map((b) => b.dataset.start));
  assert(!offered.includes(start), 'the taken time is no longer offered');
  await checkAccessibility(page, 'conflict');
  await screenshot(page, 'customer-conflict');
  const pick = (await page.$('.quick-pick')) || (await page.$('.conflict button.slot'));
  const newStart = await pick.getAttribute('data-start');
  await pick.click();
  await page.click('form.booking-form button[type="submit"]');
  await page.waitForSelector('.reference');
  const reference = (await page.textContent('.alert .reference')).trim();
  const b = await staffGet(`/api/v1/bookings/${reference}`);
  assert(sameInstant(b.start, newStart), `booked ${b.start}, expected ${newStart}`);
  assertEqual(b.answers.occasion, 'Holiday', 'occasion');
  assertEqual(b.answers.notes, 'Linen, please', 'notes');
  assertNoProblems(page);
  await page.context().close();
});

test("an expert's shared link preselects them and books as social", async () => {
  const page = await newPage(browser);
  await page.goto(`${daemon.url}/?expert=${AMELIA}&via=social`);
  await waitForSlots(page);
  const lead = await page.textContent('main .lead');
  assert(lead.includes('Amelia Hughes'), `the expert is preselected: ${lead}`);
  await chooseSlot(page, 1);
  await fillDetails(page, { name: 'Erin Social', email: 'erin@example.net' });
  await page.click('form.booking-form button[type="submit"]');
  await page.waitForSelector('.reference');
  const reference = (await page.textContent('.alert .reference')).trim();
  const b = await staffGet(`/api/v1/bookings/${reference}`);
  assertEqual(b.channel, 'social', 'channel');
  assertEqual(b.expert.id, AMELIA, 'expert');
  // an expert of two services: the choice is theirs only, then straight to times
  await page.goto(`${daemon.url}/?expert=${RHYS}&via=social`);
  await page.waitForSelector('button[data-service]');
  const services = await page.$$eval('button[data-service]', (bs) => bs.map((b) => b.dataset.service));
  assertEqual(services.sort().join(','), 'home-design,personal-styling', "Rhys's services");
  await page.click('button[data-service="home-design"]');
  await waitForSlots(page);
  assert((await page.textContent('main .lead')).includes('Rhys Morgan'), 'Rhys preselected');
  assertNoProblems(page);
  await page.context().close();
});

test('the slot picker works with the keyboard alone', async () => {
  const page = await newPage(browser);
  await startBooking(page, 'personal-styling', 'any');
  const focused = () => page.evaluate(() => {
    const b = document.activeElement;
    return b && b.classList.contains('slot') ? { start: b.dataset.start, day: b.dataset.day } : null;
  });
  // Tab reaches the times in one stop
  await page.focus('.slot-picker .slot-help');
  await page.evaluate(() => document.querySelector('.slot-picker .slot-nav button:last-child').focus());
  await page.keyboard.press('Tab');
  const a = await focused();
  assert(a, 'Tab lands on a time');
  await page.keyboard.press('ArrowDown');
  const b = await focused();
  assert(b && b.start > a.start, 'ArrowDown: the next time');
  await page.keyboard.press('ArrowUp');
  assertEqual((await focused()).start, a.start, 'ArrowUp: back');
  const days = await page.$$eval('.slot-day:not(.slot-day-empty)', (ds) => ds.length);
  if (days > 1) {
    await page.keyboard.press('ArrowRight');
    const c = await focused();
    assert(c && c.day > a.day, 'ArrowRight: the next day');
    await page.keyboard.press('ArrowLeft');
    assertEqual((await focused()).day, a.day, 'ArrowLeft: back a day');
  }
  await page.keyboard.press('Enter');
  assertEqual(await page.evaluate(() => document.activeElement.getAttribute('aria-pressed')), 'true', 'Enter chooses');
  const week = await page.textContent('.slot-week-title');
  await page.keyboard.press('PageDown');
  await page.waitForFunction((w) => document.querySelector('.slot-week-title').textContent !== w, week);
  await page.waitForFunction(() => document.activeElement && document.activeElement.closest('.slot-picker'));
  await page.keyboard.press('PageUp');
  await page.waitForFunction((w) => document.querySelector('.slot-week-title').textContent === w, week);
  // the chosen time is still chosen, and Continue is reachable
  assert(await page.$('.slot[aria-pressed="true"]'), 'the choice survives the week change');
  assert(!(await page.$eval('.sticky-continue button.primary', (x) => x.disabled)), 'Continue enabled');
  assertNoProblems(page);
  await page.context().close();
});

test('a visitor in New York sees New York times', async () => {
  const page = await newPage(browser, { timezoneId: 'America/New_York' });
  await startBooking(page, 'personal-styling', 'any');
  assertEqual(await page.inputValue('.slot-picker select'), 'America/New_York', 'the zone shown');
  const slot = await page.$('.slot-picker button.slot');
  const start = await slot.getAttribute('data-start');
  const expected = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'America/New_York' }).format(new Date(start));
  assertEqual((await slot.$eval('.slot-time', (x) => x.textContent)), expected, 'the button shows New York time');
  await chooseSlot(page, 0);
  await fillDetails(page, { name: 'Nina York', email: 'nina@example.net' });
  await page.click('form.booking-form button[type="submit"]');
  await page.waitForSelector('.reference');
  const when = await page.textContent('dd.when');
  assert(when.includes(expected) && when.includes('America/New York'), `the confirmation: ${when}`);
  await screenshot(page, 'customer-new-york');
  const reference = (await page.textContent('.alert .reference')).trim();
  const b = await staffGet(`/api/v1/bookings/${reference}`);
  assertEqual(b.customer.timezone, 'America/New_York', 'customer.timezone');
  assert(sameInstant(b.start, start), 'the same instant');
  // switching the zone shows London times
  await startBooking(page, 'personal-styling', 'any');
  const s2 = await page.getAttribute('.slot-picker button.slot', 'data-start');
  await page.selectOption('.slot-picker select', 'Europe/London');
  await page.waitForFunction(() => (document.querySelector('.slot-picker button.slot') || {}).dataset?.start?.match(/(Z|[+]0[01]:00)$/));
  const london = await page.$eval('.slot-picker button.slot', (x) => x.dataset.start);
  assert(london !== s2 || !/-0[45]:00$/.test(london), 'slots now in London offsets');
  assertNoProblems(page);
  await page.context().close();
});

test('the booking pages hold at 360 px', async () => {
  const page = await newPage(browser, { width: 360, height: 740 });
  const fits = async (what) => {
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(w <= 360, `${what}: ${w} px wide`);
  };
  await page.goto(`${daemon.url}/`);
  await page.waitForSelector('button[data-service]');
  await fits('services');
  await checkAccessibility(page, 'services at 360 px');
  await screenshot(page, 'customer-360-1-services');
  await page.click('button[data-service="home-design"]');
  await page.waitForSelector('button[data-expert="any"]');
  await fits('experts');
  await screenshot(page, 'customer-360-2-experts');
  await page.click('button[data-expert="any"]');
  await waitForSlots(page);
  await fits('slots');
  await checkAccessibility(page, 'slots at 360 px');
  await screenshot(page, 'customer-360-3-slots');
  const cols = await page.$$eval('.slot-day:not(.slot-day-empty)', (ds) => new Set(ds.map((d) => Math.round(d.getBoundingClientRect().left))).size);
  assertEqual(cols, 1, 'the days stack');
  await chooseSlot(page, 0);
  await fits('details');
  await checkAccessibility(page, 'details at 360 px');
  await screenshot(page, 'customer-360-4-details');
  await page.selectOption('select[name="answers.room"]', 'Home office');
  await page.fill('input[name="name"]', 'Sam Small');
  await page.fill('input[name="email"]', 'small@example.net');
  await page.click('form.booking-form button[type="submit"]');
  await page.waitForSelector('.reference');
  await fits('confirmation');
  await screenshot(page, 'customer-360-5-confirmation');
  assertNoProblems(page);
  await page.context().close();
});

test('Back and Forward move between steps; field errors show next to their fields', async () => {
  const page = await newPage(browser);
  await startBooking(page, 'personal-styling', 'any');
  const start = await chooseSlot(page, 0);
  // the browser's Back goes back a step, the choice kept
  await page.goBack();
  await page.waitForSelector('.slot-picker button.slot[aria-pressed="true"]');
  assertEqual(await page.getAttribute('.slot[aria-pressed="true"]', 'data-start'), start, 'the choice kept');
  await page.goBack();
  await page.waitForSelector('button[data-expert="any"]');
  await page.goForward();
  await page.waitForSelector('.slot-picker button.slot[aria-pressed="true"]');
  await page.click('.sticky-continue button.primary');
  await page.waitForSelector('form.booking-form');
  await page.fill('input[name="email"]', 'not-an-email');
  await page.click('form.booking-form button[type="submit"]');
  await page.waitForSelector('.field[data-field="customer.email"] .error:not([hidden])');
  assert(await page.$('.field[data-field="answers.occasion"] .error:not([hidden])'), 'the required question');
  assert(await page.$('.field[data-field="customer.name"] .error:not([hidden])'), 'the name');
  await checkAccessibility(page, 'errors');
  await screenshot(page, 'customer-errors');
  // the server's field errors land next to their fields too
  await fillDetails(page, { name: 'Pat Phone', email: 'pat@example.net' });
  await page.fill('input[name="phone"]', 'call me');
  await page.click('form.booking-form button[type="submit"]');
  await page.waitForSelector('.field[data-field="customer.phone"] .error:not([hidden])');
  assertEqual(await page.getAttribute('input[name="phone"]', 'aria-invalid'), 'true', 'the phone marked');
  assert(await page.$eval('.field[data-field="customer.email"] .error', (e) => e.hidden), 'the email error gone');
  assertNoProblems(page);
  await page.context().close();
});

test('a German visitor goes through the steps without errors', async () => {
  const page = await newPage(browser, { locale: 'de-DE', timezoneId: 'Europe/Berlin' });
  await startBooking(page, 'nursery', 'any');
  assertEqual(await page.evaluate(() => document.documentElement.lang.slice(0, 2)), 'de', 'the page language');
  assertEqual(await page.inputValue('.slot-picker select'), 'Europe/Berlin', 'the zone shown');
  await chooseSlot(page, 0);
  await checkAccessibility(page, 'details in German');
  assertNoProblems(page);
  await page.context().close();
});

test('the customer rates a completed session', async () => {
  const slots = await daemon.api('GET', `/api/v1/slots?service=nursery&from=${new Date().toISOString().slice(0, 10)}&to=${new Date(Date.now() + 20 * 86400e3).toISOString().slice(0, 10)}`);
  const made = await daemon.api('POST', '/api/v1/bookings', {
    service: 'nursery', start: slots.data.slots[0].start,
    customer: { name: 'Fay Feedback', email: 'fay@example.net' }, answers: { needs: 'Car seats' },
  });
  assertEqual(made.status, 201, 'booking');
  const page = await newPage(browser);
  // not yet: the session has not taken place
  await page.goto(`${daemon.url}/feedback/${made.data.token}`);
  await page.waitForSelector('main .alert-info');
  await screenshot(page, 'customer-feedback-not-yet');
  // the session took place (the clock cannot be moved, so the database is)
  execFileSync('sqlite3', [join(daemon.dir, 'appoint.db'),
    `UPDATE bookings SET status = 'completed' WHERE reference = '${made.data.reference}'`]);
  await page.goto(`${daemon.url}/feedback/${made.data.token}`);
  await page.waitForSelector('form.feedback-form');
  assert((await page.textContent('.booking-summary')).includes('Nursery advice'), 'the summary line');
  await checkAccessibility(page, 'feedback');
  await screenshot(page, 'customer-feedback');
  // by keyboard: into the radio group, arrows to 9
  await page.focus('#rating-8');
  await page.keyboard.press('ArrowRight');
  assert(await page.isChecked('#rating-9'), 'rating 9 chosen by the arrow key');
  await page.fill('textarea[name="comment"]', 'Very helpful');
  await page.click('form.feedback-form button[type="submit"]');
  await page.waitForSelector('main .alert-ok');
  await checkAccessibility(page, 'feedback thanks');
  await screenshot(page, 'customer-feedback-thanks');
  const report = await staffGet('/api/v1/feedback');
  assert(report.latest.some((f) => f.reference === made.data.reference && f.rating === 9), 'the rating is stored');
  // twice: already rated
  await page.goto(`${daemon.url}/feedback/${made.data.token}`);
  await page.waitForSelector('form.feedback-form');
  await page.check('#rating-3');
  await page.click('form.feedback-form button[type="submit"]');
  await page.waitForSelector('main .alert-ok');
  assert(/already/.test(await page.textContent('main .alert-ok')), 'already rated');
  assertNoProblems(page);
  await page.context().close();
});

test('stop', async () => {
  if (browser) await browser.close();
  await daemon.stop();
});

await run();
