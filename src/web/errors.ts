import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';

import { BusyError, ForbiddenError, NotFoundError } from '../errors';

// Error pages leave a waiting one-time message for the page it was meant for (a stray request for a
// missing file must not swallow "Votre demande a été soumise").
export const notFound: RequestHandler = (_req, res) => {
  res.locals.takeFlash = undefined;
  res.status(404).render('errors/not-found');
};

interface HttpishError {
  status?: number;
  statusCode?: number;
  code?: string;
  type?: string;
  name?: string;
  message?: string;
}

// Connection refused or reset, the server shutting down or not yet accepting, too many connections.
const DATABASE_DOWN = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
  '53300',
]);

/** The database cannot be reached (restart, failover, overload): a 503 to retry, not a server fault. */
export function isDatabaseUnavailable(error: HttpishError): boolean {
  return (
    DATABASE_DOWN.has(error.code ?? '') ||
    error.name === 'KnexTimeoutError' ||
    // pg's own messages, also when knex reports them from the ROLLBACK of a transaction ("ROLLBACK - …").
    /Connection terminated|not queryable|timeout exceeded when trying to connect/.test(error.message ?? '')
  );
}

/** One place turns every error into a page in the visitor's language; nothing of the error leaks out. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const httpish = (error ?? {}) as HttpishError;
    let status = 500;
    let view = 'errors/server-error';
    if (error instanceof NotFoundError) [status, view] = [404, 'errors/not-found'];
    else if (error instanceof ForbiddenError) [status, view] = [403, 'errors/forbidden'];
    else if (httpish.code === 'EBADCSRFTOKEN') [status, view] = [403, 'errors/csrf'];
    else if (httpish.type === 'entity.too.large') [status, view] = [413, 'errors/bad-request'];
    else if (isDatabaseUnavailable(httpish)) [status, view] = [503, 'errors/unavailable'];
    else if (error instanceof BusyError) [status, view] = [503, 'errors/busy'];
    else if ((httpish.status ?? httpish.statusCode ?? 500) < 500) {
      [status, view] = [httpish.status ?? httpish.statusCode ?? 400, 'errors/bad-request'];
    }
    if (error instanceof BusyError) (req.log ?? logger).warn({ reason: httpish.message }, 'too busy');
    else if (status === 503)
      (req.log ?? logger).warn({ code: httpish.code, reason: httpish.message }, 'database unavailable');
    else if (status >= 500) (req.log ?? logger).error({ err: error }, 'request failed');
    // An error after the answer has started (a session save failing behind a redirect) has been logged;
    // there is nothing left to tell the visitor.
    if (res.headersSent) return;
    res.locals.takeFlash = undefined;
    res.status(status);
    if (status === 503) res.set('Retry-After', '5');
    res.render(view, (renderError: Error | null, html?: string) => {
      // If even the error page cannot render, answer with plain text rather than a stack trace.
      if (renderError) {
        logger.error({ err: renderError }, 'error page failed to render');
        res.type('text/plain').send(status >= 500 ? 'Erreur / Error' : String(status));
        return;
      }
      res.send(html);
    });
  };
}
