import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { createI18n, LANGS, loadResources } from '../../src/i18n/i18n';
import { pageTranslator } from '../../src/i18n/page-t';

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every key of a language as t() is asked for it (namespace:path), plural forms as their base key. */
function keysOf(tree: Record<string, unknown>, prefix: string): string[] {
  return Object.entries(tree).flatMap(([name, value]) =>
    typeof value === 'string'
      ? [`${prefix}${name}`.replace(PLURAL, '')]
      : keysOf(value as Record<string, unknown>, `${prefix}${name}.`),
  );
}

/** Values a page could place, some of them looking like i18next's own markup. */
const SAMPLES = ["Amélie O'Brien <b>&", '$t(common:municipality.city)', '{{name}}', 42];

describe('the pages’ t()', () => {
  const instance = createI18n();
  const resources = loadResources();

  it('says exactly what i18next says, for every text of both languages, with and without values and counts', () => {
    let compared = 0;
    for (const lang of LANGS) {
      const fast = pageTranslator(instance, lang);
      const reference = instance.getFixedT(lang) as unknown as (key: string, options?: object) => string;
      const keys = new Set(
        Object.entries(resources[lang]).flatMap(([ns, tree]) =>
          keysOf(tree as Record<string, unknown>, `${ns}:`),
        ),
      );
      for (const key of keys) {
        const names = [
          ...JSON.stringify(
            instance.getResource(lang, key.split(':')[0]!, key.split(':')[1]!) ?? '',
          ).matchAll(/\{\{([A-Za-z_]\w*)\}\}/g),
        ].map((m) => m[1]!);
        const variants: object[] = [undefined as unknown as object, {}];
        for (const sample of SAMPLES) variants.push(Object.fromEntries(names.map((name) => [name, sample])));
        // A name missing, and an option that is i18next's own.
        if (names.length)
          variants.push(
            { [names[0]!]: 'only one' },
            { ...Object.fromEntries(names.map((n) => [n, 'x'])), lng: lang === 'fr' ? 'en' : 'fr' },
          );
        for (const count of [0, 1, 2, 5, 1_000_000, 1.5, '{count}'])
          variants.push({ ...Object.fromEntries(names.map((name) => [name, 'Val'])), count });
        for (const options of variants) {
          const asked = options === undefined ? [key] : [key, options];
          expect(
            (fast as unknown as (...a: unknown[]) => string)(...asked),
            `${lang} ${key} ${JSON.stringify(options)}`,
          ).toBe(reference(...(asked as [string, object])));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });

  it('fills a text with placeholders and picks its plural without asking i18next', () => {
    let asked = 0;
    const counting = {
      ...instance,
      getResource: instance.getResource.bind(instance),
      getFixedT: (lang: string) => {
        const t = instance.getFixedT(lang);
        return ((...args: Parameters<TFunction>) => {
          asked++;
          return t(...args);
        }) as TFunction;
      },
    } as unknown as typeof instance;
    const t = pageTranslator(counting, 'fr') as unknown as (key: string, options?: object) => string;
    const cell = t('companies:members.cell', { permission: 'Payer', name: 'Amélie' });
    const late = [0, 1, 3].map((count) => t('applications:clock.late', { count }));
    expect(asked).toBe(0);
    expect(cell).toContain('Amélie');
    expect(late[2]).toContain('3');
    expect(new Set(late).size).toBeGreaterThan(1);
  });
});
