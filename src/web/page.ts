import type { RequestHandler, Router } from 'express';
import { LANGS, otherLang, type Lang } from '../i18n/i18n';
import { pathFor, paths, type PageName } from './paths';

/** Where the language toggle leads: this page in the other language, with the same query string. */
function toggleTarget(name: PageName, lang: Lang): RequestHandler {
  return (req, res, next) => {
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const params = Object.fromEntries(Object.entries(req.params).map(([k, v]) => [k, String(v)]));
    res.locals.altUrl = pathFor(name, otherLang(lang), params) + (req.method === 'GET' ? query : '');
    res.locals.page = name;
    next();
  };
}

/** Declares a page once; it answers at its French and its English path. */
export function page(router: Router, name: PageName) {
  const register = (method: 'get' | 'post', handlers: RequestHandler[]) => {
    for (const lang of LANGS) router[method](paths[name][lang], toggleTarget(name, lang), ...handlers);
  };
  return {
    get(...handlers: RequestHandler[]) {
      register('get', handlers);
      return this;
    },
    post(...handlers: RequestHandler[]) {
      register('post', handlers);
      return this;
    },
  };
}
