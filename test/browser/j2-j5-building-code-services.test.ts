import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createClientRecord } from '../../src/features/earlier-records/client-records';
import { GOOD_PASSWORD } from '../support/accounts';
import { testPortal, testPins } from '../support/app';
import { uniqueEmail } from '../support/browser-like';
import { waitForEmail } from '../support/mailbox';
import { browserAvailable, browserHarness, expectAccessible, fillSignUp, JOURNEY } from './browser';

const words = {
  fr: {
    signUp: '/fr/creer-un-compte',
    email: 'Adresse courriel',
    emailConfirm: "Confirmation de l'adresse courriel",
    password: 'Mot de passe',
    passwordConfirm: 'Confirmation du mot de passe',
    terms: "J'ai lu et j'accepte les conditions générales d'utilisation.",
    createAccount: 'Créer un compte',
    activate: 'Activer mon compte',
    widgetLink: 'Appliquer, gérer et payer',
    registerTitle: 'Inscrire pour des services du code du bâtiment pour pouvoir y accéder en ligne',
    firstName: 'Prénom',
    lastName: 'Nom de famille',
    language: 'Français',
    phone: 'Numéro de téléphone * (requis)',
    consent: "J'accepte de partager mes informations avec ce service.",
    accept: "J'accepte",
    previous: 'Dossier du client antérieur',
    skip: 'Ne pas lier et continuer',
    pin: 'Code NIP du client',
    link: 'Lier avec un code NIP',
    profile: 'Mon profil',
    home: 'Services du code du bâtiment',
    homeLink: 'Accueil',
    start: 'Commencer une demande',
    permitType: 'Type de permis',
    floorArea: 'Superficie (m²)',
    permitChoice: 'Terrasse',
    streetNumber: 'Numéro civique',
    street: 'Rue * (requis)',
    postalCode: 'Code postal',
    description: 'Description',
    submit: 'Soumettre',
    activity: 'Activités de la demande',
    applicationsTab: 'Demandes',
    submitted: 'Soumis',
  },
  en: {
    signUp: '/en/create-account',
    email: 'Email address',
    emailConfirm: 'Confirm email address',
    password: 'Password',
    passwordConfirm: 'Confirm password',
    terms: 'I have read and accept the terms of use.',
    createAccount: 'Create account',
    activate: 'Activate my account',
    widgetLink: 'Apply, manage and pay',
    registerTitle: 'Register for Building Code Services to access them online',
    firstName: 'First name',
    lastName: 'Last name',
    language: 'English',
    phone: 'Phone number * (required)',
    consent: 'I agree to share my information with this service.',
    accept: 'I accept',
    previous: 'Previous client record',
    skip: 'Do not link and continue',
    pin: 'Client PIN',
    link: 'Link with a PIN',
    profile: 'My profile',
    home: 'Building Code Services',
    homeLink: 'Home',
    start: 'Start an application',
    permitType: 'Permit type',
    floorArea: 'Floor area (m²)',
    permitChoice: 'Deck',
    streetNumber: 'Street number',
    street: 'Street * (required)',
    postalCode: 'Postal code',
    description: 'Description',
    submit: 'Submit',
    activity: 'Application activity',
    applicationsTab: 'Applications',
    submitted: 'Submitted',
  },
} as const;

type Words = (typeof words)['fr' | 'en'];

const run = browserAvailable();

describe.runIf(run)(
  'J2–J5 in a real browser: register, link or not, start and follow an application',
  JOURNEY,
  () => {
    const portal = testPortal({ rateLimitScale: 10 });
    const harness = browserHarness(portal.app);
    afterAll(() => portal.close());

    const h1 = (page: Page) => page.locator('h1').textContent();

    /** Sign up and activate through the pages and the real email, then register for Building Code Services. */
    async function registered(page: Page, w: Words) {
      const email = uniqueEmail('journey');
      await page.goto(harness.origin + w.signUp);
      await fillSignUp(page, w, email);
      await page.getByRole('button', { name: w.createAccount }).click();
      const link = new URL((await waitForEmail(email)).links.find((l) => l.includes('token='))!);
      await page.goto(harness.origin + link.pathname + link.search);
      await page.getByLabel(w.password, { exact: true }).fill(GOOD_PASSWORD);
      await page.getByRole('button', { name: w.activate }).click();

      await page.getByRole('link', { name: w.widgetLink }).click();
      await expect.poll(() => h1(page)).toBe(w.registerTitle);
      await expectAccessible(page);
      await page.getByRole('button', { name: w.accept }).click();
      await expect.poll(() => page.locator('.error-summary').count()).toBe(1);
      await expectAccessible(page);
      await page.getByLabel(w.firstName).fill('Vivian');
      await page.getByLabel(w.lastName).fill('Trainer');
      await page.getByLabel(w.language, { exact: true }).check();
      await page.getByLabel(w.phone, { exact: true }).fill('613 580 2400');
      await page.getByLabel(w.consent).check();
      await page.getByRole('button', { name: w.accept }).click();
      await expect.poll(() => h1(page)).toBe(w.previous);
      await expectAccessible(page);
      return email;
    }

    for (const lang of ['fr', 'en'] as const) {
      const w = words[lang];

      it(`${lang}: sign up → register → do not link → start an application → see it in ${w.applicationsTab} → open it`, async () => {
        const context = await harness.browser.newContext();
        const page = await context.newPage();
        await registered(page, w);
        await page.getByRole('button', { name: w.skip }).click();
        await expect.poll(() => h1(page)).toBe(w.home);
        await expectAccessible(page);

        await page.getByRole('link', { name: w.start }).click();
        await expectAccessible(page);
        await page.getByLabel(w.permitType).selectOption({ label: w.permitChoice });
        await page.getByLabel(w.streetNumber).fill('110');
        await page.getByLabel(w.street, { exact: true }).fill('LAURIER AVE OUEST/WEST');
        await page.getByLabel(w.postalCode).fill('K1P 1J1');
        await page.getByLabel(w.floorArea).fill('20');
        await page.getByLabel(w.description).fill('Terrasse arrière');
        await page.getByRole('button', { name: w.submit }).click();
        await expect.poll(() => h1(page)).toBe(w.activity);
        await expectAccessible(page);
        const number = decodeURIComponent(page.url().split('/').pop()!);
        expect(number).toMatch(/^CON-\d{4}-\d{6}$/);

        await page.getByRole('link', { name: w.homeLink, exact: true }).click();
        await page.getByRole('link', { name: w.applicationsTab, exact: true }).click();
        await expectAccessible(page);
        const row = page.getByRole('row', { name: new RegExp(number) });
        expect(await row.textContent()).toContain(w.submitted);
        await page.getByRole('link', { name: number }).click();
        await expect.poll(() => h1(page)).toBe(w.activity);
        await context.close();
      });
    }

    it('register → link with a client PIN → Mon profil confirms → the earlier applications are listed', async () => {
      const record = await createClientRecord(portal.runtime.db, testPins, {
        name: 'Jannee Training',
        applications: [
          {
            permitType: 'pool_enclosure',
            status: 'payment_due',
            streetNumber: '250',
            streetName: 'SOMERSET ST W',
            description: 'Enceinte de piscine',
            lastActivityAt: new Date(Date.now() - 5 * 86_400_000),
          },
        ],
      });
      const context = await harness.browser.newContext();
      const page = await context.newPage();
      const w = words.fr;
      await registered(page, w);
      await page.getByLabel(w.pin).fill(record.pin.toLowerCase());
      await page.getByRole('button', { name: w.link }).click();
      await expect.poll(() => h1(page)).toBe(w.profile);
      expect(await page.getByRole('status').textContent()).toContain('Jannee Training');
      await expectAccessible(page);
      await page.getByRole('link', { name: 'Accueil' }).click();
      // Payment due: it is also an action required.
      expect(await page.getByRole('row', { name: new RegExp(record.numbers[0]!) }).textContent()).toContain(
        'Paiement exigible',
      );
      await page.getByRole('link', { name: 'Demandes', exact: true }).click();
      await page.getByRole('link', { name: record.numbers[0]! }).click();
      await expect.poll(() => h1(page)).toBe(w.activity);
      await expectAccessible(page);
      await context.close();
    });
  },
);
