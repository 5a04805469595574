import AxeBuilder from '@axe-core/playwright';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { GOOD_PASSWORD } from '../support/accounts';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Express } from 'express';

/** Debian's Chromium (npx playwright install cannot download here), or CHROMIUM_PATH. */
export function chromiumPath(): string | undefined {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (p): p is string => !!p && existsSync(p),
  );
}

/**
 * Locally, no Chromium skips the browser journeys with a message; under CI a missing browser is a failure.
 */
export function browserAvailable(): boolean {
  if (chromiumPath()) return true;
  if (process.env.CI)
    throw new Error('CI=true but no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)');
  console.warn(
    'Browser journeys skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH).',
  );
  return false;
}

export async function launch(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  // A step that cannot happen fails in seconds with its own message, not at the test's time limit.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(8000);
    return context;
  };
  return browser;
}

export async function serve(app: Express): Promise<{ origin: string; server: Server }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** axe-core: no WCAG 2.1 A or AA violation on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(summary, `axe on ${page.url()}`).toEqual([]);
}

/**
 * axe on a page opened without JavaScript (axe itself is a script, which such a page will not run): the
 * very HTML it shows, put in a page of the same origin that runs scripts, its styles loaded.
 */
export async function expectAccessibleWithoutScript(page: Page): Promise<void> {
  const html = await page.content();
  const context = await page.context().browser()!.newContext();
  try {
    const mirror = await context.newPage();
    await mirror.goto(new URL('/healthz', page.url()).href);
    await mirror.setContent(html, { waitUntil: 'load' });
    await expectAccessible(mirror);
  } finally {
    await context.close();
  }
}

/** The page shows its one-time confirmation; if not, the failure says what the page shows instead. */
export async function expectFlash(page: Page): Promise<void> {
  try {
    await expect.poll(() => page.getByRole('status').count(), { timeout: 5000 }).toBe(1);
  } catch {
    throw new Error(
      `no confirmation on ${page.url()}: ${(await page.locator('main').textContent())?.replace(/\s+/g, ' ')}`,
    );
  }
}

/**
 * A whole journey's time limit: a dozen pages, each checked by axe, on 2 cores shared with the other test
 * files; each step still fails on its own after 8 s.
 */
export const JOURNEY = { timeout: 60_000 };

/** The sign-up form filled in as a person would, by its labels in the page's language. */
export async function fillSignUp(
  page: Page,
  w: { email: string; emailConfirm: string; password: string; passwordConfirm: string; terms: string },
  email: string,
): Promise<void> {
  await page.getByLabel(w.email, { exact: true }).fill(email);
  await page.getByLabel(w.emailConfirm, { exact: true }).fill(email);
  await page.getByLabel(w.password, { exact: true }).fill(GOOD_PASSWORD);
  await page.getByLabel(w.passwordConfirm, { exact: true }).fill(GOOD_PASSWORD);
  await page.getByLabel(w.terms).check();
}

/** The page is at `path`; if not, the failure says where it is and what it shows. */
export async function expectAt(page: Page, path: string): Promise<void> {
  try {
    await page.waitForURL((url) => url.pathname === path, { timeout: 5000 });
  } catch {
    throw new Error(
      `expected ${path}, at ${page.url()}: ${(await page.locator('body').textContent())?.replace(/\s+/g, ' ')}`,
    );
  }
}

/** Chromium and the portal on a free port, for the tests of one describe block. */
export function browserHarness(app: Express): { browser: Browser; origin: string } {
  const harness = { browser: undefined as unknown as Browser, origin: '' };
  let server: Server | undefined;
  beforeAll(async () => {
    harness.browser = await launch();
    const served = await serve(app);
    harness.origin = served.origin;
    server = served.server;
  });
  afterAll(async () => {
    await harness.browser?.close();
    server?.close();
  });
  return harness;
}
