import type { RequestHandler } from 'express';
import { formatDate, formatDateTime, formatLocation, formatPhone } from '../domain/formatting';

/** Formatting for views, in the page's language. */
export const viewHelpers: RequestHandler = (req, res, next) => {
  res.locals.fmt = {
    date: (date: Date) => formatDate(date, req.lang),
    dateTime: (date: Date) => formatDateTime(date, req.lang),
    location: formatLocation,
    phone: formatPhone,
  };
  next();
};
