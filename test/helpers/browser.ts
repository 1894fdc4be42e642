// Debian's Chromium driven by playwright-core, set up the same way for every e2e test: headless,
// no network side-traffic, a fresh profile, a fixed viewport, zone and locale, and every script
// error or CSP violation collected so a test can assert there were none.
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tempDir } from './db';

export const CHROMIUM = process.env.POSTDESK_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface OpenedBrowser {
  context: BrowserContext;
  page: Page;
  profile: { dir: string; cleanup: () => void };
}

export async function openBrowser(problems: string[]): Promise<OpenedBrowser> {
  const profile = tempDir('postdesk-chromium-');
  const context = await chromium.launchPersistentContext(profile.dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 820 },
    colorScheme: 'light',
    // Screenshots without half-finished fade-ins.
    reducedMotion: 'reduce',
    timezoneId: 'Europe/Paris',
    locale: 'en-GB',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Chromium also logs every HTTP error status here; tests check those one by one.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  return { context, page, profile };
}
