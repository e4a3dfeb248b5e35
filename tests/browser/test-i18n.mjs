// Copyright 2026 The appoint developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The pages in German and Welsh: a German browser gets the booking page in
// German (navigator.languages), the header's language switcher turns it
// into Welsh (and remembers it), the staff sign-in speaks German, <html
// lang> follows, axe-core passes in both languages, and German's longer
// words still fit a 360 px screen.

import { Daemon, launch, newPage, assertNoProblems, checkAccessibility, screenshot, test, run, assert, assertEqual } from './harness.mjs';

const daemon = new Daemon();
let browser;

const text = (page, selector) => page.$eval(selector, (e) => e.textContent.trim());
const texts = (page, selector) => page.$$eval(selector, (els) => els.map((e) => e.textContent.trim()));
const lang = (page) => page.evaluate(() => document.documentElement.lang);
const noHorizontalScroll = async (page, width, what) => {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(scroll <= width, `${what}: the page is ${scroll} px wide on a ${width} px screen`);
};

// English words of the booking page that must not be left over
function assertNoEnglish(body, what) {
  for (const english of ['Book a free video consultation', 'What would you like help with?', 'Choose', 'Skip to content', 'Step 1 of']) {
    assert(!body.includes(english), `${what}: "${english}" is still in English`);
  }
}

test('start appointd and Chromium', async () => {
  await daemon.start();
  browser = await launch();
});

test('the catalogues are served', async () => {
  const de = await (await fetch(`${daemon.url}/i18n/de`)).json();
  assertEqual(de.lang, 'de-DE', 'German lang');
  assertEqual(de.strings['Sign in'], 'Anmelden', 'German "Sign in"');
  const cy = await (await fetch(`${daemon.url}/i18n/cy`)).json();
  assertEqual(cy.lang, 'cy-GB', 'Welsh lang');
  assertEqual(cy.strings['Sign in'], 'Mewngofnodi', 'Welsh "Sign in"');
});

test('a German visitor books in German, then switches to Welsh', async () => {
  const page = await newPage(browser, { locale: 'de-DE' });
  await page.goto(`${daemon.url}/`);
  await page.waitForSelector('main h1');
  assertEqual(await lang(page), 'de-DE', '<html lang>');
  assertEqual(await text(page, 'main h1'), 'Kostenlose Videoberatung buchen', 'h1');
  assertEqual(await text(page, 'main h2'), 'Wobei dürfen wir Ihnen helfen?', 'h2');
  assertEqual(await text(page, '.skip-link'), 'Zum Inhalt springen', 'skip link');
  assertEqual(await page.$eval('#language', (s) => s.value), 'de', 'language select');
  assertEqual(await text(page, 'label[for="language"]'), 'Sprache', 'language label');
  const buttons = await texts(page, 'button[data-service]');
  assert(buttons.length && buttons.every((b) => b.startsWith('Auswählen')), `service buttons: ${buttons}`);
  assert((await page.textContent('main')).includes('Schritt 1 von'), 'the progress says "Schritt 1 von …"');
  assert((await page.textContent('main')).includes('Minuten'), 'durations are in Minuten');
  assertNoEnglish(await page.textContent('body'), 'German service step');
  await checkAccessibility(page, 'German booking page');
  await screenshot(page, 'i18n-de-book');

  // the expert and the time steps
  await page.click('button[data-service="personal-styling"]');
  await page.waitForSelector('button[data-expert="any"]');
  assertEqual(await text(page, 'main h1'), 'Wählen Sie Ihre Beraterin oder Ihren Berater', 'expert step h1');
  assertEqual(await text(page, '.first-available h2'), 'Nächster freier Termin', 'first available');
  assertEqual(await text(page, 'main button.back'), '← Zurück', 'the back button');
  await page.click('button[data-expert="any"]');
  await page.waitForSelector('.slot-picker');
  assertEqual(await text(page, 'main h1'), 'Wählen Sie einen Termin', 'time step h1');
  const pickerButtons = (await texts(page, '.slot-picker button')).join(' | ');
  assert(pickerButtons.includes('Vorherige Woche') && pickerButtons.includes('Nächste Woche'), `week buttons: ${pickerButtons}`);
  assertEqual(await text(page, '.sticky-continue button.primary'), 'Weiter', 'continue button');
  await checkAccessibility(page, 'German time step');
  await screenshot(page, 'i18n-de-time');

  // the header's switcher: Welsh, remembered on this device
  await page.goto(`${daemon.url}/`);
  await page.waitForSelector('main h1');
  await Promise.all([page.waitForEvent('load'), page.selectOption('#language', 'cy')]);
  await page.waitForFunction(() => document.documentElement.lang === 'cy-GB' && document.querySelector('main h1'));
  assertEqual(await lang(page), 'cy-GB', '<html lang> after switching');
  assertEqual(await text(page, 'main h1'), 'Trefnwch ymgynghoriad fideo am ddim', 'Welsh h1');
  assertEqual(await text(page, 'main h2'), 'Gyda beth hoffech chi gael help?', 'Welsh h2');
  assertEqual(await text(page, '.skip-link'), "Neidio i'r cynnwys", 'Welsh skip link');
  assertEqual(await text(page, 'label[for="language"]'), 'Iaith', 'Welsh language label');
  const welsh = await texts(page, 'button[data-service]');
  assert(welsh.length && welsh.every((b) => b.startsWith('Dewis')), `Welsh service buttons: ${welsh}`);
  assertNoEnglish(await page.textContent('body'), 'Welsh service step');
  assertEqual(await page.evaluate(() => localStorage.getItem('appoint.lang')), 'cy', 'the choice is remembered');
  await checkAccessibility(page, 'Welsh booking page');
  await screenshot(page, 'i18n-cy-book');
  assertNoProblems(page);
  await page.context().close();
});

test('the staff sign-in in German', async () => {
  const page = await newPage(browser, { locale: 'de-DE' });
  await page.goto(`${daemon.url}/console`);
  await page.waitForSelector('main form button[type="submit"]');
  assertEqual(await lang(page), 'de-DE', '<html lang>');
  assertEqual(await text(page, 'main h1'), 'Kundenservice', 'h1');
  assertEqual(await text(page, 'main form button[type="submit"]'), 'Anmelden', 'sign-in button');
  const labels = await texts(page, 'main form label');
  assert(labels.some((l) => l.startsWith('E-Mail-Adresse')) && labels.some((l) => l.startsWith('Passwort')), `labels: ${labels}`);
  assertEqual(await page.title(), 'Kundenservice · appoint', 'title');
  await checkAccessibility(page, 'German sign-in');
  await screenshot(page, 'i18n-de-console');
  assertNoProblems(page);
  await page.context().close();
});

test('German fits a 360 px screen', async () => {
  const page = await newPage(browser, { locale: 'de-DE', width: 360 });
  await page.goto(`${daemon.url}/`);
  await page.waitForSelector('button[data-service]');
  assertEqual(await text(page, 'main h1'), 'Kostenlose Videoberatung buchen', 'h1');
  await noHorizontalScroll(page, 360, 'service step');
  await screenshot(page, 'i18n-de-360');
  await page.click('button[data-service="personal-styling"]');
  await page.waitForSelector('button[data-expert="any"]');
  await noHorizontalScroll(page, 360, 'expert step');
  await page.click('button[data-expert="any"]');
  await page.waitForSelector('.slot-picker');
  await noHorizontalScroll(page, 360, 'time step');
  await screenshot(page, 'i18n-de-360-time');
  assertNoProblems(page);
  await page.context().close();
});

test('stop', async () => {
  if (browser) await browser.close();
  await daemon.stop();
});

await run();
