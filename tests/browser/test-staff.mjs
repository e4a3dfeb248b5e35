// Copyright 2026 The appoint developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The staff pages in Chromium against a real appointd: the expert edits
// their hours and time off and reads a customer's answers; customer service
// finds a booking by a phone number typed differently, moves it to another
// expert with the slot picker, adds a note and cancels it; an admin changes
// a service and creates a user. axe-core on every view, a 360 px console.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  Daemon, PASSWORD, launch, newPage, assertNoProblems, checkAccessibility, screenshot, test, run, assert, assertEqual,
} from './harness.mjs';


const daemon = new Daemon();
let browser;
let adminToken;

const AMELIA = 1; // personal-styling
const RHYS = 2; // personal-styling, home-design

function londonDate(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

// a booking over the API on @expert's first free slot from @fromDay days on
async function book(expert, customer, fromDay = 2, answers = { occasion: 'Holiday', sizes: 'UK 12, shoes 6' }) {
  const slots = await daemon.api('GET', `/api/v1/slots?service=personal-styling&from=${londonDate(fromDay)}&to=${londonDate(fromDay + 20)}&expert=${expert}`);
  assertEqual(slots.status, 200, 'slots');
  assert(slots.data.slots.length > 0, `no slots for expert ${expert}`);
  const slot = slots.data.slots[Math.min(3, slots.data.slots.length - 1)];
  const made = await daemon.api('POST', '/api/v1/bookings', {
    service: 'personal-styling', start: slot.start, expert, customer, answers,
  });
  assertEqual(made.status, 201, `booking: ${JSON.stringify(made.data)}`);
  return made.data;
}

async function signIn(page, path, email) {
  await page.goto(daemon.url + path);
  await page.waitForSelector('input[name="email"]');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('form button[type="submit"]');
}

test('start appointd and Chromium', async () => {
  daemon.addUser('expert@example.com', 'Amelia Hughes', 'expert', AMELIA);
  daemon.addUser('staff@example.com', 'Sam Staff', 'staff');
  daemon.addUser('admin@example.com', 'Ada Admin', 'admin');
  await daemon.start();
  adminToken = daemon.token('admin@example.com');
  browser = await launch();
});

test('an expert edits their hours and time off and reads the answers', async () => {
  const booking = await book(AMELIA, { name: 'Chloe Martin', email: 'chloe.martin@example.net', phone: '+44 7700 900555' },
    2, { occasion: 'Wedding or formal event', sizes: 'UK 12, shoes 6' });
  const page = await newPage(browser);
  await page.goto(`${daemon.url}/expert`);
  await page.waitForSelector('input[name="email"]');
  await checkAccessibility(page, 'expert sign-in');
  await screenshot(page, 'staff-expert-sign-in');
  await signIn(page, '/expert', 'expert@example.com');
  await page.waitForSelector('h1:has-text("Your calendar")');

  // the upcoming booking with its answers behind a disclosure
  const card = page.locator(`.session[data-reference="${booking.reference}"]`);
  await card.waitFor();
  assert((await card.textContent()).includes('Chloe Martin'), 'the customer name');
  await card.locator('summary').click();
  await card.locator('dd:has-text("Wedding or formal event")').waitFor();
  assert(await card.locator('dt:has-text("What is the occasion?")').isVisible(), 'the question label');

  // an overlapping range is refused next to its day
  const mon = page.locator('.day[data-field="weekly.mon"]');
  await mon.locator('button:has-text("Add range")').click();
  await page.click('button:has-text("Save weekly hours")');
  await mon.locator('.error:not([hidden])').waitFor();
  await mon.locator('li.range').last().locator('button:has-text("Remove")').click();

  // a Sunday range, saved and visible over the API
  const sun = page.locator('.day[data-field="weekly.sun"]');
  await sun.locator('button:has-text("Add range")').click();
  await sun.locator('input.from').fill('10:00');
  await sun.locator('input.until').fill('14:00');
  await page.click('button:has-text("Save weekly hours")');
  await page.waitForSelector('.status-line:has-text("Weekly hours saved.")');
  const hours = await daemon.api('GET', `/api/v1/experts/${AMELIA}/hours`, undefined, adminToken);
  assertEqual(JSON.stringify(hours.data.weekly.sun), JSON.stringify([['10:00', '14:00']]), 'Sunday hours');
  assertEqual(JSON.stringify(hours.data.weekly.mon), JSON.stringify([['09:00', '12:30'], ['13:30', '17:30']]), 'Monday unchanged');

  // time off
  const day = londonDate(30);
  await page.fill('input[name="start"]', `${day}T09:00`);
  await page.fill('input[name="end"]', `${day}T17:00`);
  await page.fill('input[name="reason"]', 'Training day');
  await page.click('button:has-text("Add time off")');
  await page.waitForSelector('.alert-ok:has-text("Time off added.")');
  await page.waitForSelector('.time-off-list li:has-text("Training day")');
  const off = await daemon.api('GET', `/api/v1/experts/${AMELIA}/time-off`, undefined, adminToken);
  assertEqual(off.data.length, 1, 'time off stored');
  assertEqual(off.data[0].reason, 'Training day', 'time off reason');

  // the calendar subscription link, shown once
  await page.click('button:has-text("Create subscription link")');
  const url = await page.locator('input[name="ics-url"]').inputValue();
  assert(/^https?:\/\//.test(url), `a subscription URL: ${url}`);
  const ics = await fetch(url);
  assertEqual(ics.status, 200, 'the subscription answers');
  assert(await page.locator('button:has-text("Renew link")').isVisible(), 'renew offered');

  await checkAccessibility(page, 'expert calendar');
  await screenshot(page, 'staff-expert-calendar');
  assertNoProblems(page);
  await page.context().close();
});

let phoneBooking;

test('customer service finds a booking by phone, moves it to another expert, notes and cancels it', async () => {
  phoneBooking = await book(AMELIA, { name: 'Noah Clarke', email: 'noah.clarke@example.net', phone: '+44 7700 900123' }, 3);
  const page = await newPage(browser);
  await signIn(page, '/console', 'staff@example.com');
  await page.waitForSelector('#search');

  // "/" focuses the search from anywhere
  await page.locator('h1').click();
  await page.keyboard.press('/');
  assertEqual(await page.evaluate(() => document.activeElement.id), 'search', '/ focuses the search');
  assert(await page.locator('.shortcuts:has-text("Keyboard shortcuts")').isVisible(), 'the shortcuts help');

  await page.keyboard.type('07700 900123');
  await page.keyboard.press('Enter');
  const link = page.locator(`table.results a.open:has-text("${phoneBooking.reference}")`);
  await link.waitFor();
  assertEqual(await page.locator('table.results tbody tr').count(), 1, 'one match');
  await checkAccessibility(page, 'console results');
  await screenshot(page, 'staff-console-results');

  // the down arrow leaves the search for the results, j and k move, Enter opens
  await page.keyboard.press('ArrowDown');
  assertEqual(await page.evaluate(() => document.activeElement.textContent), phoneBooking.reference, 'the down arrow selects the result');
  await page.keyboard.press('k');
  await page.keyboard.press('j');
  assertEqual(await page.evaluate(() => document.activeElement.textContent), phoneBooking.reference, 'j selects the result');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`h1:has-text("${phoneBooking.reference}")`);
  await page.waitForSelector('.timeline li.tl-created');
  await page.waitForSelector('.timeline li.tl-email');
  await checkAccessibility(page, 'booking detail');
  await screenshot(page, 'staff-console-booking');

  // reschedule to Rhys with the slot picker
  await page.click('.booking-actions button:has-text("Reschedule")');
  await page.waitForSelector('.slot-picker button.slot');
  const slotsForRhys = page.waitForResponse((r) => r.url().includes('/api/v1/slots') && r.url().includes(`expert=${RHYS}`));
  await page.selectOption('.reschedule-form select[name="expert"]', String(RHYS));
  await slotsForRhys;
  await page.waitForTimeout(100);
  const original = new Date(phoneBooking.start).getTime();
  const chosen = await page.evaluate((orig) => {
    const b = [...document.querySelectorAll('.slot-picker button.slot')].find((x) => new Date(x.dataset.start).getTime() !== orig);
    if (!b) return null;
    b.click();
    return b.dataset.start;
  }, original);
  assert(chosen, 'a free time of the other expert');
  await checkAccessibility(page, 'reschedule panel');
  await screenshot(page, 'staff-console-reschedule');
  await page.click('button:has-text("Move the booking")');
  await page.waitForSelector('.alert-ok:has-text("Moved to")');
  const moved = await daemon.api('GET', `/api/v1/bookings/${phoneBooking.reference}`, undefined, adminToken);
  assertEqual(moved.data.expert.id, RHYS, 'moved to the other expert');
  assertEqual(new Date(moved.data.start).getTime(), new Date(chosen).getTime(), 'moved to the chosen time');
  await page.waitForSelector('.timeline li.tl-rescheduled');

  // a note appears in the timeline
  await page.click('.booking-actions button:has-text("Add note")');
  await page.fill('textarea[name="text"]', 'Customer asked for a call back first.');
  await page.click('button:has-text("Save note")');
  await page.waitForSelector('.timeline li:has-text("Customer asked for a call back first.")');

  // resend the confirmation
  await page.click('.booking-actions button:has-text("Resend confirmation")');
  await page.waitForSelector('.alert-ok:has-text("on its way")');

  // cancel with a reason
  await page.click('.booking-actions button:has-text("Cancel")');
  await page.fill('textarea[name="reason"]', 'Customer is travelling');
  await page.click('form button.danger:has-text("Cancel the booking")');
  await page.waitForSelector('.alert-ok:has-text("cancelled")');
  const cancelled = await daemon.api('GET', `/api/v1/bookings/${phoneBooking.reference}`, undefined, adminToken);
  assertEqual(cancelled.data.status, 'cancelled', 'cancelled');
  assertEqual(cancelled.data.cancel_reason, 'Customer is travelling', 'the reason');

  // Escape goes back to the results, with the booking focused
  await page.locator('h1').click();
  await page.keyboard.press('Escape');
  await page.waitForSelector('table.results');
  assertEqual(await page.evaluate(() => document.activeElement.textContent), phoneBooking.reference, 'Escape returns to the result');
  assertNoProblems(page);
  await page.context().close();
});

test('the console and the calendar at 360 px', async () => {
  const page = await newPage(browser, { width: 360, height: 740 });
  await signIn(page, '/console', 'staff@example.com');
  await page.waitForSelector('#search');
  await page.fill('#search', 'example.net');
  await page.press('#search', 'Enter');
  await page.waitForSelector('table.results a.open');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  await checkAccessibility(page, 'console at 360 px');
  await screenshot(page, 'staff-console-360');
  await page.locator('table.results a.open').first().click();
  await page.waitForSelector('.timeline');
  const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert(overflow2 <= 0, `the booking scrolls sideways by ${overflow2}px`);
  await screenshot(page, 'staff-console-booking-360');
  assertNoProblems(page);
  await page.context().close();

  const expert = await newPage(browser, { width: 360, height: 740 });
  await signIn(expert, '/expert', 'expert@example.com');
  await expert.waitForSelector('.day[data-field="weekly.sun"]');
  const overflow3 = await expert.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert(overflow3 <= 0, `the calendar scrolls sideways by ${overflow3}px`);
  await screenshot(expert, 'staff-expert-360');
  assertNoProblems(expert);
  await expert.context().close();
});

test('an admin changes a service and creates a user', async () => {
  const page = await newPage(browser);
  await signIn(page, '/admin', 'admin@example.com');
  await page.waitForSelector('tr[data-service="nursery"]');
  await page.waitForSelector('#users-title');
  await page.click('tr[data-service="nursery"] button:has-text("Edit")');
  const form = page.locator('form.service-form');
  await checkAccessibility(page, 'admin service form');
  await form.locator('input[name="duration_minutes"]').fill('50');
  await form.locator('button:has-text("Save service")').click();
  await page.waitForSelector('.alert-ok:has-text("saved")');
  const service = await daemon.api('GET', '/api/v1/services/nursery');
  assertEqual(service.data.duration_minutes, 50, 'the new duration');

  await page.click('button.new-user');
  const uf = page.locator('form.user-form');
  await uf.locator('input[name="email"]').fill('new.staff@example.com');
  await uf.locator('input[name="name"]').fill('Nia New');
  await uf.locator('select[name="role"]').selectOption('staff');
  await uf.locator('input[name="password"]').fill('a long enough passphrase');
  await checkAccessibility(page, 'admin');
  await uf.locator('button:has-text("Create user")').click();
  await page.waitForSelector('.alert-ok:has-text("new.staff@example.com")');
  const users = await daemon.api('GET', '/api/v1/users', undefined, adminToken);
  assert(Array.isArray(users.data) && users.data.some((u) => u.email === 'new.staff@example.com' && u.role === 'staff'), 'the user exists');
  await checkAccessibility(page, 'admin after creating');
  await screenshot(page, 'staff-admin');
  assertNoProblems(page);
  await page.context().close();
});

test('an expert marks sessions held or missed and sends a summary', async () => {
  const held = await book(AMELIA, { name: 'Maya Rossi', email: 'maya.rossi@example.net' }, 3);
  const missed = await book(AMELIA, { name: 'Tom Hale', email: 'tom.hale@example.net' }, 4);
  // both took place two and three hours ago: the clock cannot be moved,
  // so the database is (start, end and their blocks alike)
  for (const [b, hours] of [[held, 2], [missed, 3]]) {
    execFileSync('sqlite3', [join(daemon.dir, 'appoint.db'),
      `UPDATE bookings SET end_at = strftime('%s', 'now') - ${hours} * 3600 + (end_at - start_at),
         block_end = strftime('%s', 'now') - ${hours} * 3600 + (block_end - start_at),
         block_start = strftime('%s', 'now') - ${hours} * 3600 - (start_at - block_start),
         start_at = strftime('%s', 'now') - ${hours} * 3600
       WHERE reference = '${b.reference}'`]);
  }
  const page = await newPage(browser);
  await signIn(page, '/expert', 'expert@example.com');
  const card = page.locator(`.session[data-reference="${held.reference}"]`);
  await card.waitFor();
  await card.locator('button:has-text("Mark completed")').click();
  const form = page.locator(`.session[data-reference="${held.reference}"] form.summary-form`);
  await form.waitFor();
  await form.locator('textarea[name="summary"]').fill('Navy suits you: try the wool blend in a 40 regular.');
  await form.locator('button[type="submit"]').click();
  await page.locator(`.session[data-reference="${held.reference}"] :text("Summary sent to the customer.")`).waitFor();
  await page.locator(`.session[data-reference="${missed.reference}"] button:has-text("No-show")`).click();
  await page.locator(`.session[data-reference="${missed.reference}"] :text("No-show")`).first().waitFor();
  const a = await daemon.api('GET', `/api/v1/bookings/${held.reference}`, undefined, adminToken);
  assertEqual(a.data.status, 'completed', 'marked completed');
  assertEqual(a.data.summary, 'Navy suits you: try the wool blend in a 40 regular.', 'the summary kept');
  const b = await daemon.api('GET', `/api/v1/bookings/${missed.reference}`, undefined, adminToken);
  assertEqual(b.data.status, 'no-show', 'marked a no-show');
  // the customer's summary email is in the outbox, to her
  const emails = await daemon.api('GET', `/api/v1/bookings/${held.reference}/emails`, undefined, adminToken);
  assert(emails.data.some((m) => m.kind === 'summary' && m.recipient === 'maya.rossi@example.net'), 'the summary email');
  await checkAccessibility(page, 'expert, sessions held');
  await screenshot(page, 'staff-expert-held');
  assertNoProblems(page);
  await page.context().close();
});

test('stop', async () => {
  if (browser) await browser.close();
  await daemon.stop();
});

await run();
