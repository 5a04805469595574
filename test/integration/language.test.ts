import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadResources, localesDir } from '../../src/i18n/i18n';
import { paths, type PageName } from '../../src/web/paths';
import { signedUpUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { visitor } from '../support/browser-like';

const portal = testPortal();
const { app } = portal;
afterAll(() => portal.close());

function keys(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

describe('both languages, always', () => {
  it('has every locale key in French and in English', () => {
    const resources = loadResources();
    expect(Object.keys(resources.fr).sort()).toEqual(Object.keys(resources.en).sort());
    for (const ns of Object.keys(resources.fr)) {
      const fr = keys(resources.fr[ns]).sort();
      const en = keys(resources.en[ns]).sort();
      expect(fr, `locales/fr/${ns}.json vs locales/en/${ns}.json`).toEqual(en);
    }
  });

  it('has no empty translation and the same number of paragraphs in each language', () => {
    const resources = loadResources();
    const walk = (fr: unknown, en: unknown, at: string) => {
      if (typeof fr === 'string') {
        expect(fr.trim(), at).not.toBe('');
        expect(String(en).trim(), at).not.toBe('');
      } else if (Array.isArray(fr)) {
        expect((en as unknown[]).length, at).toBe(fr.length);
        fr.forEach((item, i) => walk(item, (en as unknown[])[i], `${at}[${i}]`));
      } else if (fr && typeof fr === 'object') {
        for (const [k, v] of Object.entries(fr)) walk(v, (en as Record<string, unknown>)[k], `${at}.${k}`);
      }
    };
    walk(resources.fr, resources.en, '');
  });

  it('keeps user-facing words out of the views: every text comes from the locale files', () => {
    const viewsDir = join(localesDir, '..', 'views');
    const files = readdirSync(viewsDir, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ejs') && !f.startsWith('emails'),
    );
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const source = readFileSync(join(viewsDir, file), 'utf8');
      const text = source
        .replace(/<%[\s\S]*?%>/g, ' ')
        .replace(/<script[\s\S]*?<\/script>/g, ' ')
        .replace(/<[^>]*>/g, ' ')
        .replace(/&[a-z]+;/g, ' ');
      expect(text.replace(/[\s:–·|()*]/g, ''), file).toBe('');
      // Attributes people read (alt, title, aria-label, placeholder) also come from the locales.
      expect(source, file).not.toMatch(/(alt|title|aria-label|placeholder)="[^"<]*[A-Za-zÀ-ÿ]/);
    }
  });

  it('reads locale files as valid JSON, one set of namespaces per language', () => {
    const fr = readdirSync(join(localesDir, 'fr')).sort();
    const en = readdirSync(join(localesDir, 'en')).sort();
    expect(fr).toEqual(en);
  });

  it('declares every page in both languages, under /fr/ and /en/', () => {
    for (const [name, page] of Object.entries(paths)) {
      expect(page.fr, name).toMatch(/^\/fr\//);
      expect(page.en, name).toMatch(/^\/en\//);
    }
  });

  it('picks the language of / from Accept-Language', async () => {
    expect(
      (await visitor(app).get('/').set('Accept-Language', 'en-CA,en;q=0.9,fr;q=0.5')).headers.location,
    ).toBe('/en');
    expect(
      (await visitor(app).get('/').set('Accept-Language', 'fr-CA,fr;q=0.9,en;q=0.8')).headers.location,
    ).toBe('/fr');
    expect((await visitor(app).get('/').set('Accept-Language', 'de-DE')).headers.location).toBe('/fr');
    expect((await visitor(app).get('/').set('Accept-Language', 'de;q=1, en;q=0.3')).headers.location).toBe(
      '/en',
    );
  });

  it('has a toggle on every page leading to the same page in the other language, with <html lang> right', async () => {
    const agent = visitor(app);
    await signedUpUser(agent);
    const getPages: PageName[] = [
      'signIn',
      'signUp',
      'emailSent',
      'resendActivation',
      'forgotPassword',
      'settings',
      'dashboard',
    ];
    for (const name of getPages) {
      for (const lang of ['fr', 'en'] as const) {
        const other = lang === 'fr' ? 'en' : 'fr';
        const path = paths[name][lang];
        const res = await (name === 'signIn' || name === 'signUp' ? visitor(app) : agent).get(path);
        expect(res.status, path).toBe(200);
        expect(res.text, path).toContain(`<html lang="${lang}">`);
        const toggle = new RegExp(
          `<a href="${paths[name][other].replace(/[?]/g, '\\?')}[^"]*" lang="${other}" hreflang="${other}">`,
        );
        expect(res.text, path).toMatch(toggle);
      }
    }
  });

  it('keeps the query string when toggling, so an emailed link still works in the other language', async () => {
    const res = await visitor(app).get('/fr/courriel-envoye?for=reset');
    expect(res.text).toContain('href="/en/email-sent?for=reset" lang="en"');
  });

  it('shows 404 pages in the language of the address, without a stack trace', async () => {
    const fr = await visitor(app).get('/fr/nexiste-pas');
    expect(fr.status).toBe(404);
    expect(fr.text).toContain('<html lang="fr">');
    expect(fr.text).toContain('Page introuvable');
    const en = await visitor(app).get('/en/does-not-exist');
    expect(en.status).toBe(404);
    expect(en.text).toContain('Page not found');
    expect(en.text).not.toMatch(/at .*\.ts:\d+/);
  });
});
