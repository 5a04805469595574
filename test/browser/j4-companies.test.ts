import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { visitor } from '../support/browser-like';
import { browserAvailable, browserHarness, expectAccessible, expectFlash, JOURNEY } from './browser';

const words = {
  fr: {
    home: '/fr/services-code-batiment',
    tab: 'Professionnels/Entrepreneurs',
    registerNew: 'Enregistrer un nouveau',
    legalName: "Nom de l'entreprise * (requis)",
    phone: 'Numéro de téléphone * (requis)',
    save: 'Enregistrer',
    members: 'Comptes associés',
    pinLabel: 'NIP :',
    pinField: 'NIP des professionnels/entrepreneurs',
    // The guide's word ("cliquez sur le bouton Associé") is in the button's name, for voice control.
    associate: 'Associer (Associé)',
    submitCell: 'Faire une demande – Jannee Trainer',
    saveGrid: 'Enregistrer les autorisations',
    selectAll: 'Tout sélectionner',
    none: '0 compte sélectionné',
    both: '2 comptes sélectionnés',
    start: 'Commencer une demande',
    onBehalf: 'Au nom de',
    permitType: 'Type de permis',
    floorArea: 'Superficie (m²)',
    permit: 'Terrasse',
    streetNumber: 'Numéro civique',
    street: 'Rue * (requis)',
    postalCode: 'Code postal',
    description: 'Description',
    submit: 'Soumettre',
    activity: 'Activités de la demande',
  },
  en: {
    home: '/en/building-code-services',
    tab: 'Professionals/Contractors',
    registerNew: 'Register new',
    legalName: 'Company name * (required)',
    phone: 'Phone number * (required)',
    save: 'Save',
    members: 'Associated accounts',
    pinLabel: 'PIN:',
    pinField: 'Professional/contractor PIN',
    associate: 'Associate',
    submitCell: 'Submit – Jannee Trainer',
    saveGrid: 'Save permissions',
    selectAll: 'Select all',
    none: '0 accounts selected',
    both: '2 accounts selected',
    start: 'Start an application',
    onBehalf: 'On behalf of',
    permitType: 'Permit type',
    floorArea: 'Floor area (m²)',
    permit: 'Deck',
    streetNumber: 'Street number',
    street: 'Street * (required)',
    postalCode: 'Postal code',
    description: 'Description',
    submit: 'Submit',
    activity: 'Application activity',
  },
} as const;

const run = browserAvailable();

describe.runIf(run)(
  'J4 in a real browser: a company, its PIN, a colleague who associates and gets Submit',
  JOURNEY,
  () => {
    const portal = testPortal({ rateLimitScale: 10 });
    const harness = browserHarness(portal.app);
    afterAll(() => portal.close());

    /** A browser context signed in as a new registered user (made through the real forms by supertest). */
    async function signedIn(
      lang: 'fr' | 'en',
      firstName: string,
    ): Promise<{ context: BrowserContext; page: Page }> {
      const agent = visitor(portal.app);
      const { email, password } = await registeredUser(agent, { lang, firstName });
      const context = await harness.browser.newContext();
      const page = await context.newPage();
      await page.goto(`${harness.origin}/${lang}/${lang === 'fr' ? 'connexion' : 'sign-in'}`);
      await page.getByLabel(lang === 'fr' ? 'Adresse courriel' : 'Email address').fill(email);
      await page.getByLabel(lang === 'fr' ? 'Mot de passe' : 'Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: lang === 'fr' ? 'Connexion' : 'Sign in', exact: true }).click();
      return { context, page };
    }

    for (const lang of ['fr', 'en'] as const) {
      const w = words[lang];
      it(`${lang}: create a company, read its PIN, a colleague associates, gets Submit and applies for the company`, async () => {
        const manager = await signedIn(lang, 'Vivian');
        const page = manager.page;
        await page.goto(harness.origin + w.home);
        await page.getByRole('link', { name: w.tab }).click();
        await expectAccessible(page);
        await page.getByRole('link', { name: w.registerNew }).click();
        await expectAccessible(page);
        const companyName = `LMS Architects ${lang} ${Date.now()}`;
        await page.getByLabel(w.legalName).fill(companyName);
        await page.getByLabel(w.phone, { exact: true }).fill('613-580-2400');
        await page.getByRole('button', { name: w.save, exact: true }).click();
        await expect.poll(() => page.locator('h1').textContent()).toBe(companyName);
        await expectAccessible(page);
        const pin = /([A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3})/.exec(
          (await page.locator('.pin').textContent())!,
        )![1]!;

        const colleague = await signedIn(lang, 'Jannee');
        await colleague.page.goto(harness.origin + w.home);
        await colleague.page.getByRole('link', { name: w.tab }).click();
        await colleague.page.getByLabel(w.pinField).fill(pin);
        await colleague.page.getByRole('button', { name: w.associate, exact: true }).click();
        await expectFlash(colleague.page);
        await expectAccessible(colleague.page);

        await page.reload();
        // With JavaScript, the bulk buttons wait for a ticked row, and the count is said with its plural.
        const count = page.locator('[data-selected-count]');
        expect(await count.textContent()).toBe(w.none);
        expect(await page.locator('[data-bulk-actions] button').first().isDisabled()).toBe(true);
        await page.getByRole('checkbox', { name: w.selectAll }).check();
        expect(await count.textContent()).toBe(w.both);
        expect(await page.locator('[data-bulk-actions] button').first().isDisabled()).toBe(false);
        await page.getByRole('checkbox', { name: w.selectAll }).uncheck();
        // As the guide says: tick the permission's box on the person's row, then save.
        await page.getByRole('checkbox', { name: w.submitCell, exact: true }).check();
        await page.getByRole('button', { name: w.saveGrid }).click();
        await expectFlash(page);
        await expectAccessible(page);

        await colleague.page.goto(harness.origin + w.home);
        await colleague.page.getByRole('link', { name: w.start }).click();
        await colleague.page.getByLabel(`${w.onBehalf} ${companyName}`).check();
        await colleague.page.getByLabel(w.permitType).selectOption({ label: w.permit });
        await colleague.page.getByLabel(w.streetNumber).fill('110');
        await colleague.page.getByLabel(w.street, { exact: true }).fill('LAURIER AVE OUEST/WEST');
        await colleague.page.getByLabel(w.postalCode).fill('K1P 1J1');
        await colleague.page.getByLabel(w.floorArea).fill('20');
        await colleague.page.getByLabel(w.description).fill('Terrasse');
        await colleague.page.getByRole('button', { name: w.submit, exact: true }).click();
        await expect.poll(() => colleague.page.locator('h1').textContent()).toBe(w.activity);
        expect(await colleague.page.locator('table').first().textContent()).toContain(companyName);
        await expectAccessible(colleague.page);

        await manager.context.close();
        await colleague.context.close();
      });
    }
  },
);
