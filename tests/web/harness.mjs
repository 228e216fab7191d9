// The browser-test harness: a throw-away `ucsc serve` on a free loopback port with the demo
// province, Debian's chromium driven by playwright-core (no browser download), a tiny sequential
// test runner, TOTP codes, axe-core checks and screenshots.
import { spawn, execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(ROOT, 'web/package.json'));
const { chromium } = require('playwright-core');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const SCREENS = join(ROOT, 'build/e2e-screens');

// Polls `check` until it returns a truthy value or the deadline passes.
export async function until(check, what, ms = 15000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? ': ' + last.message : ''}`);
}

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

// REQUIRES: built ucsc and console. `systems` > 0 adds that many generated systems
// (`ucsc demo generate`) to the demo province.
export async function startServer({ systems = 0 } = {}) {
  const bin = process.env.UCSC_BIN || join(ROOT, 'build/ucsc');
  if (!existsSync(bin)) throw new Error('no ucsc binary at ' + bin + ' (make build)');
  const webRoot = process.env.UCSC_WEB_ROOT || join(ROOT, 'web/dist');
  if (!existsSync(join(webRoot, 'index.html'))) throw new Error('no built console in ' + webRoot);
  const dir = mkdtempSync(join(tmpdir(), 'ucsc-e2e-'));
  const db = 'sqlite:' + join(dir, 'ucsc.db');
  const quiet = { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LANG: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] };
  const out = execFileSync(bin, ['demo', 'init', '--db', db], quiet);
  if (systems > 0) execFileSync(bin, ['demo', 'generate', '--db', db, '--systems', String(systems)], quiet);
  const passwords = {};
  for (const m of out.matchAll(/^\s*([a-z.]+) \([a-z_]+\): (\S+)$/gm)) passwords[m[1]] = m[2];
  const port = await freePort();
  const env = {
    ...process.env,
    UCSC_WEB_ROOT: webRoot,
    UCSC_EVIDENCE_DIR: join(dir, 'evidence'),
    UCSC_HUNT_DIR: join(dir, 'hunt'),
    UCSC_VULN_CACHE: join(dir, 'vuln'),
  };
  const shared = join(ROOT, '../shared/data');
  // Hunts use the suite's own rule (a known detection in the uploaded log), unless configured.
  if (!env.UCSC_SIGMA_RULES) env.UCSC_SIGMA_RULES = join(ROOT, 'tests/web/fixtures/rules');
  if (!env.UCSC_NVD && existsSync(join(shared, 'nvd/nvd-subset.json.zst'))) {
    env.UCSC_NVD = join(shared, 'nvd/nvd-subset.json.zst');
    env.UCSC_KEV = join(shared, 'kev/known_exploited_vulnerabilities.json');
  }
  const proc = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(base + '/healthz')).ok, 'the server to answer /healthz', 30000);
  return {
    base,
    passwords,
    dir,
    log: () => log,
    async stop() {
      proc.kill('SIGTERM');
      await until(() => proc.exitCode !== null || proc.signalCode !== null, 'the server to stop', 15000).catch(() => proc.kill('SIGKILL'));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A fresh browser profile per user (own cookie jar), Debian's chromium, the flags of issue 13.
export async function openBrowser(base, { width = 1366, height = 768, lang = 'vi' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'ucsc-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width, height },
    locale: lang === 'en' ? 'en-GB' : 'vi-VN',
    timezoneId: 'Europe/Paris', // the console must show Vietnam time whatever the browser's zone
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const problems = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push('CSP: ' + m.text());
  });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.setDefaultTimeout(15000);
  await page.goto(base + '/');
  await page.evaluate((l) => localStorage.setItem('ucsc.lang', l), lang);
  return {
    ctx,
    page,
    problems,
    async close() {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of s.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

// RFC 6238 (SHA-1, 30 s, 6 digits) for `stepOffset` steps from now.
export function totp(secret, stepOffset = 0) {
  const step = Math.floor(Date.now() / 1000 / 30) + stepOffset;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const o = h[h.length - 1] & 0xf;
  const n = ((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).toString();
  return n.padStart(6, '0');
}

// axe-core in the page (evaluated through the DevTools protocol, so the strict CSP stays on);
// returns the serious and critical violations.
export async function axe(page) {
  await page.evaluate(AXE + ';0');
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  return result;
}

export async function screenshot(page, name) {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, name + '.png'), fullPage: false });
}

const tests = [];
export function test(name, fn) {
  tests.push({ name, fn });
}
export async function run() {
  let passed = 0;
  let failed = 0;
  for (const t of tests) {
    const start = Date.now();
    try {
      await t.fn();
      passed++;
      console.log(`ok   ${t.name} (${Date.now() - start} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${t.name}\n     ${String(e && e.stack ? e.stack : e).split('\n').slice(0, 6).join('\n     ')}`);
    }
  }
  console.log(`\nweb e2e: ${passed} passed; ${failed} tests failed out of ${passed + failed}`);
  return failed;
}

export function assert(cond, msg) {
  if (!cond) throw new Error('assertion failed: ' + msg);
}
