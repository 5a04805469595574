import type { Request, RequestHandler } from 'express';

/** A one-time message shown on the next page (post/redirect/get). */
export function flash(req: Request, key: string, params?: Record<string, string | number>): void {
  req.session.flash = { key, params };
}

/** Views take the message when they render it, so a redirect on the way does not lose it. */
export const flashMessages: RequestHandler = (req, res, next) => {
  res.locals.takeFlash = () => {
    const message = req.session?.flash;
    if (message) delete req.session.flash;
    return message;
  };
  next();
};
