// Copyright 2026 The appoint developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// What the browser tests share: a real appointd on a free loopback port
// with a database and Maildir of its own (demo data, users with
// passwords), Debian's Chromium driven by playwright-core, axe-core run in
// the page, screenshots kept as test artifacts, and a tiny test runner
// that prints TAP (meson reads it: `protocol: 'tap'`).
//
// Environment (set by tests/meson.build): APPOINTD, APPOINTCTL, and
// BROWSER_ARTIFACTS, the folder screenshots go to. CHROMIUM overrides
// /usr/bin/chromium.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

export const PASSWORD = 'correct horse battery staple';

// -- the daemon -----------------------------------------------------------

export class Daemon {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'appoint-browser-'));
    this.config = join(this.dir, 'appoint.conf');
    this.maildir = join(this.dir, 'mail');
    writeFileSync(this.config, [
      '[server]',
      'listen = 127.0.0.1:0',
      '[database]',
      `path = ${join(this.dir, 'appoint.db')}`,
      '[mail]',
      `transport = maildir:${this.maildir}`,
      '[limits]',
      'bookings-per-minute = 0',
      '',
    ].join('\n'));
    this.ctl('demo');
  }

  // appointctl with this daemon's configuration; its standard output
  ctl(...args) {
    const input = args.length && typeof args[args.length - 1] === 'object' ? args.pop().input : undefined;
    return execFileSync(process.env.APPOINTCTL, ['--config', this.config, ...args], {
      input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  // a user who signs in with PASSWORD
  addUser(email, name, role, expertId) {
    const args = ['user', 'add', '--email', email, '--name', name, '--role', role];
    if (expertId !== undefined) args.push('--expert', String(expertId));
    this.ctl(...args, { input: `${PASSWORD}\n` });
  }

  // an API token for @email, for arranging data over HTTP
  token(email) {
    return this.ctl('token', 'create', '--email', email).trim().split(/\s+/).pop();
  }

  async start() {
    this.log = '';
    this.proc = spawn(process.env.APPOINTD, ['--config', this.config], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc.stderr.setEncoding('utf8');
    this.url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`appointd did not start:\n${this.log}`)), 15000);
      this.proc.stderr.on('data', (chunk) => {
        this.log += chunk;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(this.log);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      this.proc.on('exit', (code) => reject(new Error(`appointd exited (${code}):\n${this.log}`)));
    });
    return this.url;
  }

  // JSON over HTTP with an API token, for arranging and checking data
  async api(method, path, body, token) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    const answer = await fetch(this.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await answer.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
    return { status: answer.status, data };
  }

  // the messages delivered to the Maildir so far, as raw text
  mail() {
    const out = [];
    for (const sub of ['new', 'cur']) {
      const d = join(this.maildir, sub);
      if (!existsSync(d)) continue;
      for (const name of readdirSync(d)) out.push(readFileSync(join(d, name), 'utf8'));
    }
    return out;
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null) {
      const done = new Promise((resolve) => this.proc.on('exit', resolve));
      this.proc.kill('SIGTERM');
      await done;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// -- the browser ----------------------------------------------------------

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

// a page that fails the test on any console error or page error, in
// @locale and @timezoneId, at @width px wide
export async function newPage(browser, { locale = 'en-GB', timezoneId = 'Europe/London', width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ locale, timezoneId, viewport: { width, height } });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // a 4xx the page asked for and showed is not a problem of the page
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) {
      page.problems.push(`console: ${m.text()}`);
    }
  });
  return page;
}

// axe-core applies inline styles while it measures, which the policy
// refuses and Chromium reports, sometimes after axe.run() has returned:
// those reports are axe's, not the page's
export function assertNoProblems(page) {
  if (page.axeRan) page.problems = page.problems.filter((p) => !/Applying inline style violates/.test(p));
  if (page.problems.length) throw new Error(page.problems.join('\n'));
}

// axe-core in the page: the serious and critical violations, none allowed
// axe itself is evaluated through the DevTools protocol, which the pages'
// Content-Security-Policy does not govern (an injected <script> would be
// refused, rightly); what it logs about inline styles it applies is its
// own doing and is not held against the page
export async function checkAccessibility(page, what) {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  assertNoProblems(page);
  // the pages set no style attribute (the policy would refuse it)
  const styled = await page.evaluate(() => [...document.querySelectorAll('[style]')].map((e) => e.tagName));
  if (styled.length) throw new Error(`${what}: elements with a style attribute: ${styled.join(', ')}`);
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(source);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  page.axeRan = true;
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    throw new Error(`${what}: accessibility violations:\n${bad.map((v) => `  ${v.impact} ${v.id}: ${v.help} (${v.nodes.join(', ')})`).join('\n')}`);
  }
  return result;
}

// a full-page screenshot under BROWSER_ARTIFACTS, named @name.png
export async function screenshot(page, name) {
  const dir = process.env.BROWSER_ARTIFACTS || join(here, 'artifacts');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

// -- a minimal TAP runner -------------------------------------------------

const tests = [];

export function test(name, fn) {
  tests.push({ name, fn });
}

export function assert(condition, message) {
  if (!condition) throw new Error(message || 'assertion failed');
}

export function assertEqual(actual, expected, message) {
  if (actual !== expected) {
    throw new Error(`${message || 'not equal'}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
}

// runs every test() in order, prints TAP, exits non-zero on a failure
export async function run() {
  console.log(`1..${tests.length}`);
  let failed = 0;
  for (const [i, t] of tests.entries()) {
    try {
      await t.fn();
      console.log(`ok ${i + 1} - ${t.name}`);
    } catch (e) {
      failed += 1;
      console.log(`not ok ${i + 1} - ${t.name}`);
      for (const line of String(e && e.stack ? e.stack : e).split('\n')) console.log(`# ${line}`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}
