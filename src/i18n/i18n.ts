import i18next, { type i18n, type Resource, type ResourceLanguage, type TFunction } from 'i18next';
import { projectRoot } from '../project-root';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GUIDE_MUNICIPALITY, type Municipality } from '../domain/municipality';

export const LANGS = ['fr', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export type Translate = TFunction;

export const localesDir = join(projectRoot, 'locales');

export function isLang(value: unknown): value is Lang {
  return value === 'fr' || value === 'en';
}

export function otherLang(lang: Lang): Lang {
  return lang === 'fr' ? 'en' : 'fr';
}

/** Every locales/<lang>/<namespace>.json, read once at start-up. */
export function loadResources(): Record<Lang, ResourceLanguage> & Resource {
  const resources: Record<Lang, ResourceLanguage> = { fr: {}, en: {} };
  for (const lang of LANGS) {
    for (const file of readdirSync(join(localesDir, lang)).filter((name) => name.endsWith('.json'))) {
      resources[lang][file.replace(/\.json$/, '')] = JSON.parse(
        readFileSync(join(localesDir, lang, file), 'utf8'),
      );
    }
  }
  return resources;
}

export function createI18n(
  onMissingKey: (lang: string, key: string) => void = () => undefined,
  municipality: Municipality = GUIDE_MUNICIPALITY,
): i18n {
  const resources = loadResources();
  // The names of the city and of its account service, nested into any text as $t(common:municipality.city).
  for (const lang of LANGS) {
    (resources[lang].common as Record<string, unknown>).municipality = {
      city: municipality.city[lang],
      accountService: municipality.accountService[lang],
      supportEmail: municipality.supportEmail,
    };
  }
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: 'fr',
    supportedLngs: [...LANGS],
    fallbackLng: false,
    ns: Object.keys(resources.fr),
    defaultNS: 'common',
    initAsync: false,
    // EJS escapes on output; escaping here too would double-escape.
    interpolation: { escapeValue: false },
    returnNull: false,
    saveMissing: true,
    missingKeyHandler: (lngs: readonly string[], _ns: string, key: string) =>
      onMissingKey(lngs.join(','), key),
  });
  return instance;
}

/** The language a visitor's browser prefers, among ours (French when it says nothing we speak). */
export function langFromAcceptLanguage(header: string | undefined): Lang {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { lang: tag.trim().slice(0, 2).toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((entry) => isLang(entry.lang) && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  const best = ranked[0]?.lang;
  return isLang(best) ? best : 'fr';
}
