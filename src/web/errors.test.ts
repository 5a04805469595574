import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { HashingBusyError } from '../features/accounts/passwords';
import { createI18n } from '../i18n/i18n';
import { errorHandler, isDatabaseUnavailable } from './errors';
import { languageFromUrl } from './language';
import { useViews } from './views';

describe('isDatabaseUnavailable', () => {
  it('recognises a database that went away, also from the ROLLBACK of a transaction', () => {
    // Seen in `npm run load -- --fault postgres-restart`: these were 500s before.
    for (const message of [
      'ROLLBACK - Client has encountered a connection error and is not queryable',
      'ROLLBACK - Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect',
    ]) {
      expect(isDatabaseUnavailable({ message }), message).toBe(true);
    }
    expect(isDatabaseUnavailable({ code: '57P01', message: 'terminating connection' })).toBe(true);
    expect(isDatabaseUnavailable({ code: 'ECONNREFUSED' })).toBe(true);
  });

  it('leaves real faults as faults', () => {
    expect(isDatabaseUnavailable({ code: '23505', message: 'duplicate key value' })).toBe(false);
    expect(isDatabaseUnavailable({ message: 'Cannot read properties of undefined' })).toBe(false);
  });
});

describe('the error page for a busy portal', () => {
  it('answers 503 with Retry-After and a "try again shortly" page in the address\'s language', async () => {
    const app = express();
    useViews(app);
    app.use(languageFromUrl(createI18n(() => undefined)), (_req, res, next) => {
      res.locals.cspNonce = 'n';
      next();
    });
    app.post(['/fr/connexion', '/en/sign-in'], () => {
      throw new HashingBusyError();
    });
    app.use(errorHandler(pino({ level: 'silent' })));
    for (const [path, lang, words] of [
      ['/fr/connexion', 'fr', 'Service très sollicité'],
      ['/en/sign-in', 'en', 'Service very busy'],
    ] as const) {
      const res = await request(app).post(path);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.text).toContain(`<html lang="${lang}">`);
      expect(res.text).toContain(words);
    }
  });
});
