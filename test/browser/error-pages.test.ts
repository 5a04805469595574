import express from 'express';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { HashingBusyError } from '../../src/features/accounts/passwords';
import { createI18n } from '../../src/i18n/i18n';
import { projectRoot } from '../../src/project-root';
import { ForbiddenError } from '../../src/errors';
import { errorHandler, notFound } from '../../src/web/errors';
import { languageFromUrl } from '../../src/web/language';
import { rateLimits } from '../../src/web/rate-limits';
import { securityHeaders } from '../../src/web/security';
import { viewHelpers } from '../../src/web/view-helpers';
import { useViews } from '../../src/web/views';
import { browserAvailable, browserHarness, expectAccessible } from './browser';

/**
 * The error pages most journeys never reach (a busy portal, a database away, a refused form): each in a
 * real browser, under the portal's own headers (its CSP included) and style sheet, through the same
 * error handler and the same rate-limit handler as the portal's.
 */
const statuses = {
  forbidden: 403,
  'form-expired': 403,
  'too-large': 413,
  'database-away': 503,
  busy: 503,
  fault: 500,
} as const;
type Kind = keyof typeof statuses;

const faults: Record<Kind, () => unknown> = {
  forbidden: () => new ForbiddenError(),
  'form-expired': () => Object.assign(new Error('invalid csrf token'), { code: 'EBADCSRFTOKEN' }),
  'too-large': () => Object.assign(new Error('request entity too large'), { type: 'entity.too.large' }),
  'database-away': () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  busy: () => new HashingBusyError(),
  fault: () => new Error('a bug'),
};

// The limits count in PostgreSQL, as the portal's do.
const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
afterAll(() => pool.end());

function errorPagesApp(): express.Express {
  const app = express();
  useViews(app);
  app.use(securityHeaders(false));
  app.use('/public', express.static(join(projectRoot, 'public')));
  app.use(languageFromUrl(createI18n()), viewHelpers);
  // A limit of one request per language: the second is refused by the portal's own handler. The
  // settings limit counts per account: each language plays an account no other run has.
  for (const [i, lang] of ['fr', 'en'].entries()) {
    const account = { id: -(Date.now() * 2 + i) } as Express.User;
    app.get(
      `/${lang}/limited`,
      (req, _res, next) => {
        req.user = account;
        next();
      },
      rateLimits({ pool, scale: 0 }).settings,
      (_req, res) => {
        res.type('text/plain').send('first');
      },
    );
  }
  app.get('/:lang/fault/:kind', (req) => {
    throw faults[req.params.kind as Kind]();
  });
  app.use(notFound);
  app.use(errorHandler(pino({ level: 'silent' })));
  return app;
}

const words = {
  fr: {
    forbidden: 'Accès refusé',
    'form-expired': 'Le formulaire a expiré',
    'too-large': 'Demande non valide',
    'database-away': 'Service momentanément indisponible',
    busy: 'Service très sollicité',
    fault: 'Un problème est survenu',
    notFound: 'Page introuvable',
    limited: 'Trop de tentatives',
    home: "Retour à l'accueil",
  },
  en: {
    forbidden: 'Access denied',
    'form-expired': 'The form has expired',
    'too-large': 'Invalid request',
    'database-away': 'Service temporarily unavailable',
    busy: 'Service very busy',
    fault: 'Something went wrong',
    notFound: 'Page not found',
    limited: 'Too many attempts',
    home: 'Back to the home page',
  },
} as const;

/** From the top of the page, Tab reaches the way home; Enter follows it. */
async function homeByKeyboard(page: Page, lang: 'fr' | 'en'): Promise<void> {
  for (let presses = 0; presses < 8; presses++) {
    await page.keyboard.press('Tab');
    const focused = (await page.locator(':focus').textContent())?.trim();
    if (focused === words[lang].home) {
      await Promise.all([
        page.waitForURL((url) => url.pathname === `/${lang}`),
        page.keyboard.press('Enter'),
      ]);
      return;
    }
  }
  throw new Error(`"${words[lang].home}" not reached with Tab on ${page.url()}`);
}

describe.runIf(browserAvailable())('error pages in a real browser', { timeout: 120_000 }, () => {
  const harness = browserHarness(errorPagesApp());

  for (const lang of ['fr', 'en'] as const) {
    it(`every error page in ${lang === 'fr' ? 'French' : 'English'}: its status, its words, axe, the keyboard`, async () => {
      const context = await harness.browser.newContext();
      const page = await context.newPage();
      const cspViolations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
      });
      const visits: [string, string, number][] = [
        ...(Object.keys(statuses) as Kind[]).map((kind): [string, string, number] => [
          `/${lang}/fault/${kind}`,
          words[lang][kind],
          statuses[kind],
        ]),
        [`/${lang}/nowhere`, words[lang].notFound, 404],
      ];
      for (const [path, title, status] of visits) {
        const response = await page.goto(harness.origin + path);
        expect(response?.status(), path).toBe(status);
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
        if (status === 503) expect(response?.headers()['retry-after'], path).toBe('5');
        await expectAccessible(page);
        // The style sheet applied (axe's contrast check needs it): the skip link is moved off screen.
        expect((await page.locator('.skip-link').boundingBox())!.x).toBeLessThan(0);
        await homeByKeyboard(page, lang);
      }
      expect((await page.goto(`${harness.origin}/${lang}/limited`))?.status()).toBe(200);
      const refused = await page.goto(`${harness.origin}/${lang}/limited`);
      expect(refused?.status()).toBe(429);
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent())
        .toBe(words[lang].limited);
      await expectAccessible(page);
      expect(cspViolations).toEqual([]);
      await context.close();
    });
  }
});
