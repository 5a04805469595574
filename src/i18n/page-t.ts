import type { i18n, TFunction } from 'i18next';
import type { Lang } from './i18n';

type Options = Record<string, unknown>;
/** A text split at its placeholders: the fixed parts at even places, the names at odd ones. */
type Template = readonly string[];

const PLACEHOLDER = /\{\{([A-Za-z_]\w*)\}\}/g;

/**
 * The `t` the pages call, in one language. A page calls it a hundred times or more, and a list calls it
 * for each row (Comptes associés: a label for each of 500 members × 7 permissions); i18next copies its
 * whole configuration on every call, which made it the largest part of that page's CPU. The translations
 * never change while the portal runs, so:
 * - a key asked without options is looked up once;
 * - a text whose only markup is {{name}} placeholders is split once, and a call fills it in, the plural
 *   form picked as i18next does (Intl.PluralRules; _zero first for a count of 0).
 * Anything else — nested $t(…), formats, i18next's own options, a value missing — goes to i18next, and a
 * test checks the two agree on every text of both languages.
 */
export function pageTranslator(instance: i18n, lang: Lang): TFunction {
  const translate = instance.getFixedT(lang) as unknown as (...args: unknown[]) => string;
  const plurals = new Intl.PluralRules(lang);
  const known = new Map<string, string>();
  const templates = new Map<string, Template | null>();

  /** The key's text split at its placeholders, or null when only i18next can render it. */
  function templateOf(key: string): Template | null {
    let template = templates.get(key);
    if (template === undefined) {
      const colon = key.indexOf(':');
      const text: unknown =
        colon < 0
          ? instance.getResource(lang, 'common', key)
          : instance.getResource(lang, key.slice(0, colon), key.slice(colon + 1));
      template =
        typeof text === 'string' && !text.includes('$t(') && !text.replace(PLACEHOLDER, '').includes('{{')
          ? text.split(PLACEHOLDER)
          : null;
      templates.set(key, template);
    }
    return template;
  }

  /** The form of the text for this count, as i18next picks it: _zero for 0 if there is one, then the plural category, then the key itself. */
  function pluralTemplate(key: string, count: number): Template | null {
    const candidates = [`${key}_${plurals.select(count)}`, key];
    if (count === 0) candidates.unshift(`${key}_zero`);
    for (const candidate of candidates) {
      const template = templateOf(candidate);
      if (template) return template;
    }
    return null;
  }

  function filled(template: Template, options: Options): string | undefined {
    let text = template[0]!;
    for (let i = 1; i < template.length; i += 2) {
      const value = options[template[i]!];
      if (value === undefined || value === null) return undefined;
      text += String(value) + template[i + 1]!;
    }
    return text;
  }

  /** Every option is a value the text places (or the count); i18next's own options go to i18next. */
  function onlyValues(template: Template, options: Options): boolean {
    for (const name of Object.keys(options)) {
      if (name === 'count') continue;
      let placed = false;
      for (let i = 1; i < template.length; i += 2) if (template[i] === name) placed = true;
      if (!placed) return false;
    }
    return true;
  }

  return ((key: string | string[], options?: unknown, ...rest: unknown[]) => {
    if (typeof key !== 'string' || rest.length) return translate(key, options, ...rest);
    if (options === undefined) {
      let text = known.get(key);
      if (text === undefined) {
        text = translate(key);
        known.set(key, text);
      }
      return text;
    }
    if (typeof options !== 'object' || options === null) return translate(key, options);
    const values = options as Options;
    const count = values.count;
    const template =
      count === undefined || typeof count === 'string'
        ? templateOf(key)
        : typeof count === 'number'
          ? pluralTemplate(key, count)
          : null;
    const text = template && onlyValues(template, values) ? filled(template, values) : undefined;
    return text ?? translate(key, options);
  }) as unknown as TFunction;
}
