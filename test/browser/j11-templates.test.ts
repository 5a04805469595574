import type { BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { visitor } from '../support/browser-like';
import { createdCompany } from '../support/companies';
import {
  browserAvailable,
  browserHarness,
  expectAccessibleWithoutScript,
  expectFlash,
  JOURNEY,
} from './browser';
import { press, signIn, tabTo, typeInto } from './keyboard';

const words = {
  fr: {
    signIn: '/fr/connexion',
    templates: (id: number) => `/fr/services-code-batiment/entreprises/${id}/modeles`,
    newTemplate: 'Nouveau modèle',
    deck: 'Terrasse',
    save: 'Enregistrer',
    start: 'Commencer à partir d’un modèle',
    fromTemplate: 'Demande commencée à partir du modèle « Terrasse standard »',
    submit: 'Soumettre',
  },
  en: {
    signIn: '/en/sign-in',
    templates: (id: number) => `/en/building-code-services/companies/${id}/templates`,
    newTemplate: 'New template',
    deck: 'Deck',
    save: 'Save',
    start: 'Start from a template',
    fromTemplate: 'Application started from the template “Terrasse standard”',
    submit: 'Submit',
  },
} as const;

const run = browserAvailable();

describe.runIf(run)(
  'J11 templates in a real browser, keyboard only, without JavaScript: created, then an application started from one',
  { timeout: JOURNEY.timeout },
  () => {
    const portal = testPortal({ rateLimitScale: 10 });
    const db = portal.runtime.db;
    const harness = browserHarness(portal.app);
    const contexts: BrowserContext[] = [];
    afterAll(async () => {
      await Promise.all(contexts.map((c) => c.close()));
      await portal.close();
    });

    for (const lang of ['fr', 'en'] as const) {
      const w = words[lang];
      it(`${lang}: a manager creates a template; "${w.start}" fills the application, which is submitted for the company`, async () => {
        const manager = visitor(portal.app);
        const { email, password } = await registeredUser(manager, { lang });
        const company = await createdCompany(manager, `Terrasses ${lang.toUpperCase()} inc.`);

        const context = await harness.browser.newContext({ javaScriptEnabled: false });
        contexts.push(context);
        const page = await context.newPage();
        await signIn(page, harness.origin + w.signIn, email, password);
        await page.goto(harness.origin + w.templates(company.id));
        await expectAccessibleWithoutScript(page);
        await press(page, w.newTemplate);
        await expectAccessibleWithoutScript(page);
        await typeInto(page, 'name', 'Terrasse standard');
        await tabTo(page, { id: 'permitType' });
        await page.keyboard.type(w.deck);
        await typeInto(page, 'description', 'Terrasse en bois traité de 20 m², cour arrière');
        await typeInto(page, 'notes', 'Joindre le plan d’implantation');
        await press(page, w.save);
        await expectFlash(page);
        await expectAccessibleWithoutScript(page);

        // Started from the template: the company as applicant, the type and the description filled in.
        await press(page, w.start);
        await expectAccessibleWithoutScript(page);
        // Read as a person reads it: the non-breaking spaces inside « » as spaces.
        expect((await page.locator('main').textContent())!.replace(/\s+/g, ' ')).toContain(w.fromTemplate);
        expect(await page.locator('#permitType').inputValue()).toBe('deck');
        expect(await page.locator('#description').inputValue()).toBe(
          'Terrasse en bois traité de 20 m², cour arrière',
        );
        await typeInto(page, 'streetNumber', '42');
        await typeInto(page, 'streetName', 'RUE ELGIN');
        await typeInto(page, 'postalCode', 'K1P 5W1');
        await typeInto(page, 'floorArea', '20');
        await press(page, w.submit);
        await expectFlash(page);

        const number = decodeURIComponent(page.url().split('/').pop()!);
        expect(await db('applications').where({ number }).first()).toMatchObject({
          company_id: company.id,
          permit_type: 'deck',
          description: 'Terrasse en bois traité de 20 m², cour arrière',
          status: 'submitted',
        });
      });
    }
  },
);
