import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { createPinVault } from '../../src/crypto/pin-vault';
import { newPin } from '../../src/domain/pins';
import { insertClientRecord } from '../../src/features/earlier-records/queries';
import { testPins, testPortal } from '../support/app';
import { submittedApplication } from '../support/applications';
import { uniqueEmail, visitor } from '../support/browser-like';
import { waitForEmail } from '../support/mailbox';
import { STAFF_PASSWORD, totp } from '../support/staff';
import {
  browserAvailable,
  browserHarness,
  expectAccessible,
  expectAt,
  expectFlash,
  JOURNEY,
} from './browser';

const words = {
  fr: {
    signIn: '/fr/connexion',
    email: 'Adresse courriel',
    password: 'Mot de passe',
    signInButton: 'Connexion',
    base: '/fr/services-code-batiment/demandes',
    withdraw: 'Retirer',
    comment: 'Commentaire',
    banner: 'Une demande de retrait a été soumise pour',
    staff: '/fr/admin/connexion',
    code: 'Code de vérification',
    checkCode: 'Vérifier le code',
    queue: 'Demandes de retrait',
    approve: 'Approuver',
    staffComment: 'Commentaire pour le demandeur',
    refundFull: 'Remboursement : complet',
    record: 'Enregistrer la décision',
    withdrawn: 'Retiré',
    mail: /Retrait approuvé/,
  },
  en: {
    signIn: '/en/sign-in',
    email: 'Email address',
    password: 'Password',
    signInButton: 'Sign in',
    base: '/en/building-code-services/applications',
    withdraw: 'Withdraw',
    comment: 'Comment',
    banner: 'A withdrawal request has been submitted for',
    staff: '/en/admin/sign-in',
    code: 'Verification code',
    checkCode: 'Check the code',
    queue: 'Withdrawal requests',
    approve: 'Approve',
    staffComment: 'Comment for the applicant',
    refundFull: 'Refund: full',
    record: 'Record the decision',
    withdrawn: 'Withdrawn',
    mail: /Withdrawal approved/,
  },
} as const;

const run = browserAvailable();

describe.runIf(run)(
  'J6–J7 in a real browser: the applicant withdraws, staff approve with TOTP, the applicant sees Retiré',
  JOURNEY,
  () => {
    const portal = testPortal({ rateLimitScale: 10 });
    const harness = browserHarness(portal.app);
    afterAll(() => portal.close());
    const staff = portal.runtime.services.staff;
    const h1 = (page: Page) => page.locator('h1').textContent();

    for (const lang of ['fr', 'en'] as const) {
      const w = words[lang];
      it(`${lang}: withdraw → approve → Retiré and the email`, async () => {
        // An applicant with a submitted application, made through the real forms.
        const agent = visitor(portal.app);
        const { email, password } = await registeredUser(agent, { lang });
        const number = await submittedApplication(agent, lang);

        const applicant = await harness.browser.newContext();
        const page = await applicant.newPage();
        await page.goto(harness.origin + w.signIn);
        await page.getByLabel(w.email).fill(email);
        await page.getByLabel(w.password, { exact: true }).fill(password);
        await page.getByRole('button', { name: w.signInButton, exact: true }).click();
        await page.goto(`${harness.origin}${w.base}/${number}`);
        await expectAccessible(page);
        await page.getByRole('link', { name: w.withdraw, exact: true }).click();
        await expectAccessible(page);
        await page.getByLabel(w.comment).fill('Projet abandonné');
        await page.getByRole('button', { name: w.withdraw, exact: true }).click();
        await expectFlash(page);
        expect(await page.getByRole('status').textContent()).toContain(`${w.banner} ${number}`);
        await expectAccessible(page);

        // A staff member: first sign-in, enrolment with the secret shown as text, then the queue.
        const staffEmail = uniqueEmail('agent');
        await staff.create(staffEmail, 'Agent', STAFF_PASSWORD);
        const office = await harness.browser.newContext();
        const admin = await office.newPage();
        await admin.goto(harness.origin + w.staff);
        await expectAccessible(admin);
        await admin.getByLabel(w.email).fill(staffEmail);
        await admin.getByLabel(w.password, { exact: true }).fill(STAFF_PASSWORD);
        await admin.getByRole('button', { name: w.signInButton, exact: true }).click();
        await expect.poll(() => admin.locator('.secret').count()).toBe(1);
        await expectAccessible(admin);
        const secret = (await admin.locator('.secret').textContent())!.trim();
        await admin.getByLabel(w.code).fill(await totp(secret));
        await admin.getByRole('button', { name: w.checkCode }).click();
        // The enrolment is confirmed on the admin home; if not, the failure says what the page shows.
        await expectFlash(admin);
        await expectAt(admin, lang === 'fr' ? '/fr/admin' : '/en/admin');
        await admin.getByRole('link', { name: w.queue }).click();
        await expectAccessible(admin);
        await admin.getByRole('link', { name: number }).click();
        await expectAccessible(admin);
        await admin.getByLabel(w.approve).check();
        await admin.getByLabel(w.staffComment).fill('OK');
        await admin.getByLabel(w.refundFull).check();
        await admin.getByRole('button', { name: w.record }).click();
        await expectFlash(admin);
        expect(await h1(admin)).toBe(w.queue);

        // The other admin pages pass axe too: home with its charts, search, accounts, records, audit log,
        // a letter to print, and a letter whose PIN a change of SESSION_SECRET retired.
        const staffBase = lang === 'fr' ? '/fr/admin' : '/en/admin';
        const letterId = async (pins: typeof testPins) => {
          const pin = newPin();
          return portal.runtime.db.transaction((tx) =>
            insertClientRecord(tx, {
              name: 'Famille Côté',
              pinHash: pins.hash(pin),
              pinSealed: pins.seal(pin),
            }),
          );
        };
        const letters = [await letterId(testPins), await letterId(createPinVault('a secret since replaced'))];
        const letter = (id: number) =>
          lang === 'fr' ? `/dossiers-anterieurs/client/${id}/lettre` : `/earlier-records/client/${id}/letter`;
        const others =
          lang === 'fr'
            ? [
                '',
                '/demandes?q=CON',
                '/comptes?q=a',
                '/dossiers-anterieurs',
                '/journal',
                `/demandes/${number}`,
                ...letters.map(letter),
              ]
            : [
                '',
                '/applications?q=CON',
                '/accounts?q=a',
                '/earlier-records',
                '/audit-log',
                `/applications/${number}`,
                ...letters.map(letter),
              ];
        for (const path of others) {
          await admin.goto(harness.origin + staffBase + path);
          await expectAccessible(admin);
        }

        await page.reload();
        expect(await page.locator('table').first().textContent()).toContain(w.withdrawn);
        const mail = await waitForEmail(email, w.mail);
        expect(mail.text).toContain(number);
        await applicant.close();
        await office.close();
      });
    }
  },
);
