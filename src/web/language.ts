import type { RequestHandler } from 'express';
import type { i18n, TFunction } from 'i18next';
import { isLang, langFromAcceptLanguage, otherLang } from '../i18n/i18n';
import { pathFor, type PageName } from './paths';

/**
 * The URL says the language (/fr/..., /en/...); anything else falls back to the browser's preference.
 * Views get `t` in that language, and links to pages in it.
 */
export function languageFromUrl(i18n: i18n): RequestHandler {
  const t = { fr: memoised(i18n.getFixedT('fr')), en: memoised(i18n.getFixedT('en')) };
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

/**
 * A page calls t() a hundred times or more, mostly for fixed words; the translations never change while
 * the portal runs, so a key asked without options is looked up once. Calls with options (counts,
 * interpolated values) go to i18next each time.
 */
function memoised(t: TFunction): TFunction {
  const known = new Map<string, string>();
  const translate = t as unknown as (...args: unknown[]) => string;
  return ((key: string | string[], ...rest: unknown[]) => {
    if (rest.length || typeof key !== 'string') return translate(key, ...rest);
    let text = known.get(key);
    if (text === undefined) {
      text = translate(key);
      known.set(key, text);
    }
    return text;
  }) as unknown as TFunction;
}
