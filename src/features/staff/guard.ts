import type { RequestHandler } from 'express';
import { NotFoundError } from '../../errors';
import { pathFor } from '../../web/paths';

/**
 * Every admin page: staff who proved their second factor in this session. A client account gets 404
 * (the admin page does not exist for it); someone signed out, the staff sign-in; staff without the
 * second factor, the enrolment or code page.
 */
export const requireStaff: RequestHandler = (req, res, next) => {
  if (!req.user) return res.redirect(303, pathFor('staffSignIn', req.lang));
  if (req.user.role !== 'staff') throw new NotFoundError();
  if (!req.session.mfaAt) return res.redirect(303, pathFor('staffEnrol', req.lang));
  next();
};

/** The enrolment page: staff signed in with their password, second factor not yet proved. */
export const requireStaffPassword: RequestHandler = (req, res, next) => {
  if (!req.user) return res.redirect(303, pathFor('staffSignIn', req.lang));
  if (req.user.role !== 'staff') throw new NotFoundError();
  next();
};
