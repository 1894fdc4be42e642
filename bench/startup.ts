// Web-mode cold start: from spawning the process to (a) its first API answer and (b) the
// renderer's first interactive paint in Chromium. Each run uses a fresh data folder, so it
// includes creating the database and migrating it. Median of 5.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, type Page } from 'playwright-core';
import { median, report } from './lib';

const RUNS = Number(process.env.STARTUP_RUNS ?? 5);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const URL_LINE = /Postdesk is running: (http:\/\/127\.0\.0\.1:(\d+)\/)#token=([A-Za-z0-9_-]+)/;

/** The benchmark's own first fetch() sets up undici (~100 ms); pay that before timing the app. */
async function warmFetch(): Promise<void> {
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await (await fetch(`http://127.0.0.1:${port}/`)).text();
  await new Promise((r) => server.close(r));
}

async function oneRun(page: Page) {
  const dataDir = mkdtempSync(join(tmpdir(), 'postdesk-startup-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, ['dist/host/web-cli.js', '--port', '0', '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let toUrlLine = Number.NaN;
    const { base, token } = await new Promise<{ base: string; token: string }>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = URL_LINE.exec(buf);
        if (m) {
          toUrlLine = performance.now() - t0;
          resolve({ base: m[1]!, token: m[3]! });
        }
      });
      child.on('exit', (code) => reject(new Error(`web-cli exited with ${code} before printing its URL`)));
    });
    // First API answer: poll until the engine answers (it normally does at the first try).
    let toFirstApi = Number.NaN;
    for (;;) {
      const r = await fetch(base + 'api/app.info', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      }).catch(() => null);
      if (r?.ok) {
        toFirstApi = performance.now() - t0;
        break;
      }
      if (performance.now() - t0 > 30_000) throw new Error('no API answer within 30 s');
    }
    // Interactive: the renderer marks <html data-app> once its first screen (here, first-run
    // onboarding) is rendered with data and can take input.
    await page.goto(`${base}#token=${token}`);
    await page.locator('html[data-app="onboarding"], html[data-app="ready"]').waitFor({ state: 'attached', timeout: 30_000 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    const toInteractive = performance.now() - t0;
    return { toUrlLine, toFirstApi, toInteractive };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
await warmFetch();
const urlLine: number[] = [];
const firstApi: number[] = [];
const interactive: number[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const r = await oneRun(page);
    urlLine.push(r.toUrlLine);
    firstApi.push(r.toFirstApi);
    interactive.push(r.toInteractive);
    await context.close();
  }
} finally {
  await browser.close();
}
report('startup', [
  { name: 'to_first_api_ms', value: median(firstApi), unit: 'ms', note: `median of ${RUNS}: ${firstApi.map((v) => Math.round(v)).join(', ')}` },
  { name: 'to_url_line_ms', value: median(urlLine), unit: 'ms', note: `process start to the printed URL (engine listening); median of ${RUNS}` },
  { name: 'to_interactive_ms', value: median(interactive), unit: 'ms', aim: { op: '<', value: 1500 }, note: `median of ${RUNS}: ${interactive.map((v) => Math.round(v)).join(', ')}` },
]);
