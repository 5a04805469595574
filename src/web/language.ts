import type { RequestHandler } from 'express';
import type { i18n } from 'i18next';
import { isLang, langFromAcceptLanguage, otherLang } from '../i18n/i18n';
import { pageTranslator } from '../i18n/page-t';
import { pathFor, type PageName } from './paths';

/**
 * The URL says the language (/fr/..., /en/...); anything else falls back to the browser's preference.
 * Views get `t` in that language, and links to pages in it.
 */
export function languageFromUrl(i18n: i18n): RequestHandler {
  const t = { fr: pageTranslator(i18n, 'fr'), en: pageTranslator(i18n, 'en') };
  return (req, res, next) => {
    const prefix = req.path.split('/')[1];
    req.lang = isLang(prefix) ? prefix : langFromAcceptLanguage(req.get('accept-language'));
    res.locals.lang = req.lang;
    res.locals.altLang = otherLang(req.lang);
    res.locals.t = t[req.lang];
    // For the few pages printed in both languages at once (the city's PIN letters).
    res.locals.tIn = (lang: 'fr' | 'en') => t[lang];
    res.locals.url = (name: PageName, params?: Record<string, string>) => pathFor(name, req.lang, params);
    // Pages registered through page() replace this with the same page in the other language.
    res.locals.altUrl = `/${otherLang(req.lang)}`;
    next();
  };
}
