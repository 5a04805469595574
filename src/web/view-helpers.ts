import type { RequestHandler } from 'express';
import {
  formatArea,
  formatDate,
  formatDateTime,
  formatLocation,
  formatMoney,
  formatPhone,
  formatSize,
} from '../domain/formatting';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A translated text, escaped, with each email address in it a mailto link (output it with <%- %>). */
export function mailtoLinks(text: string): string {
  return escapeHtml(text).replace(
    /[\w.+-]+@[\w-]+(\.[\w-]+)+/g,
    (address) => `<a href="mailto:${address}">${address}</a>`,
  );
}

/** Formatting for views, in the page's language. */
export const viewHelpers: RequestHandler = (req, res, next) => {
  res.locals.fmt = {
    date: (date: Date) => formatDate(date, req.lang),
    dateTime: (date: Date) => formatDateTime(date, req.lang),
    // A calendar day ('YYYY-MM-DD', the city's date): noon UTC is that same day in Ottawa.
    day: (day: string) => formatDate(new Date(`${day}T12:00:00Z`), req.lang),
    money: (cents: number) => formatMoney(cents, req.lang),
    area: (area: string) => formatArea(area, req.lang),
    location: formatLocation,
    phone: formatPhone,
    size: (bytes: number) => formatSize(bytes, req.lang),
  };
  res.locals.mailtoLinks = mailtoLinks;
  next();
};
