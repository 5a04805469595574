import { readFileSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { uniqueEmail, visitor } from '../support/browser-like';
import { pdfText } from '../support/pdf';
import { STAFF_PASSWORD } from '../support/staff';
import {
  browserAvailable,
  browserHarness,
  expectAccessibleWithoutScript,
  expectFlash,
  JOURNEY,
} from './browser';
import { press, signIn, staffSignsIn, tabTo, typeInto } from './keyboard';

const words = {
  fr: {
    signIn: '/fr/connexion',
    newApplication: '/fr/services-code-batiment/demandes/nouvelle',
    home: '/fr/services-code-batiment',
    house: 'Maison',
    submit: 'Soumettre',
    queue: '/fr/admin/examen',
    startReview: 'Prendre en examen',
    request: 'Demander des renseignements',
    reply: 'Répondre',
    send: 'Envoyer',
    resolve: 'Marquer comme résolu',
    issue: 'Délivrer le permis',
    download: 'Télécharger le permis',
    verify: '/fr/verifier-un-permis',
    verifyButton: 'Vérifier',
    genuine: 'est authentique',
    title: 'Permis de construire',
  },
  en: {
    signIn: '/en/sign-in',
    newApplication: '/en/building-code-services/applications/new',
    home: '/en/building-code-services',
    house: 'House',
    submit: 'Submit',
    queue: '/en/admin/review',
    startReview: 'Start review',
    request: 'Request information',
    reply: 'Reply',
    send: 'Send',
    resolve: 'Mark as resolved',
    issue: 'Issue permit',
    download: 'Download permit',
    verify: '/en/verify-a-permit',
    verifyButton: 'Verify',
    genuine: 'is genuine',
    title: 'Building permit',
  },
} as const;

const run = browserAvailable();

describe.runIf(run)(
  'J8 in a real browser, keyboard only, without JavaScript: submission to a verified permit',
  { timeout: JOURNEY.timeout * 2 },
  () => {
    const portal = testPortal({ rateLimitScale: 10 });
    const harness = browserHarness(portal.app);
    afterAll(() => portal.close());
    const contexts: BrowserContext[] = [];
    const noScript = async () => {
      const context = await harness.browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
      contexts.push(context);
      return context.newPage();
    };
    afterAll(() => Promise.all(contexts.map((c) => c.close())));

    for (const lang of ['fr', 'en'] as const) {
      const w = words[lang];
      it(`${lang}: submit → review → information → reply → resolve → issue → download → verify`, async () => {
        const { email, password } = await registeredUser(visitor(portal.app), { lang });

        // The applicant signs in and submits, by keyboard.
        const applicant = await noScript();
        await signIn(applicant, harness.origin + w.signIn, email, password);
        await applicant.goto(harness.origin + w.newApplication);
        await tabTo(applicant, { id: 'permitType' });
        await applicant.keyboard.type(w.house);
        await typeInto(applicant, 'streetNumber', '110');
        await typeInto(applicant, 'streetName', 'LAURIER AVE OUEST/WEST');
        await typeInto(applicant, 'postalCode', 'K1P 1J1');
        await typeInto(applicant, 'floorArea', '120');
        await typeInto(applicant, 'description', 'Maison');
        await press(applicant, w.submit);
        await expectFlash(applicant);
        const number = decodeURIComponent(applicant.url().split('/').pop()!);
        expect(number).toMatch(/^CON-\d{4}-\d{6}$/);

        // A staff member signs in, enrols the second factor, and takes it from the review queue.
        const staffEmail = uniqueEmail('agent');
        await portal.runtime.services.staff.create(staffEmail, 'Agent', STAFF_PASSWORD);
        const staff = await noScript();
        await staffSignsIn(staff, harness.origin, lang, staffEmail, STAFF_PASSWORD);
        await staff.goto(harness.origin + w.queue);
        await expectAccessibleWithoutScript(staff);
        // The new application may be far down a shared database's queue: open it from its address.
        await staff.goto(
          `${harness.origin}${lang === 'fr' ? '/fr/admin/demandes' : '/en/admin/applications'}/${number}`,
        );
        await expectAccessibleWithoutScript(staff);
        await press(staff, w.startReview);
        await expectFlash(staff);
        await typeInto(staff, 'deficiencies', 'Plan d’implantation coté');
        await staff.keyboard.press('Enter');
        await staff.keyboard.type('Rapport géotechnique');
        await press(staff, w.request);
        await expectFlash(staff);
        await expectAccessibleWithoutScript(staff);

        // The applicant sees two required actions and answers each with "Répondre".
        for (const answer of ['Plan joint.', 'Rapport joint.']) {
          await applicant.goto(harness.origin + w.home);
          await expectAccessibleWithoutScript(applicant);
          await press(applicant, w.reply);
          await expectAccessibleWithoutScript(applicant);
          await typeInto(applicant, 'body', answer);
          await press(applicant, w.send);
          await expectFlash(applicant);
        }
        await expectAccessibleWithoutScript(applicant);

        // Staff resolve both, then issue the permit (no fee is due).
        for (let i = 0; i < 2; i += 1) {
          await staff.reload();
          await press(staff, w.resolve);
          await expectFlash(staff);
        }
        await press(staff, w.issue);
        await expectFlash(staff);
        await expectAccessibleWithoutScript(staff);

        // The applicant downloads the permit from the application's page.
        await applicant.goto(
          `${harness.origin}${w.home}/${lang === 'fr' ? 'demandes' : 'applications'}/${number}`,
        );
        await expectAccessibleWithoutScript(applicant);
        await tabTo(applicant, { text: w.download });
        const [download] = await Promise.all([
          applicant.waitForEvent('download'),
          applicant.keyboard.press('Enter'),
        ]);
        const text = await pdfText(readFileSync((await download.path())!));
        expect(text).toContain(w.title);
        expect(text).toContain(number);
        const permitNumber = /PC-\d{4}-\d{6}/.exec(text)![0];
        const code =
          /[34679ACDEFGHJKMNPQRTUVWXY]{3}-[34679ACDEFGHJKMNPQRTUVWXY]{3}-[34679ACDEFGHJKMNPQRTUVWXY]{3}/.exec(
            text,
          )![0];

        // A neighbour, signed in nowhere, checks the permit posted on the site.
        const neighbour = await noScript();
        await neighbour.goto(harness.origin + w.verify);
        await expectAccessibleWithoutScript(neighbour);
        await typeInto(neighbour, 'permitNumber', permitNumber);
        await typeInto(neighbour, 'code', code);
        await press(neighbour, w.verifyButton);
        expect(await neighbour.getByRole('status').textContent()).toContain(`${permitNumber} ${w.genuine}`);
        await expectAccessibleWithoutScript(neighbour);
      });
    }
  },
);
