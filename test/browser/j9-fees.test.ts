import type { BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submittedApplication } from '../support/applications';
import { visitor } from '../support/browser-like';
import { companyMember, createdCompany } from '../support/companies';
import { waitForEmail } from '../support/mailbox';
import { pdfText } from '../support/pdf';
import { signedInStaff, staffAct } from '../support/staff';
import { browserAvailable, browserHarness, expectAccessibleWithoutScript, JOURNEY } from './browser';
import { press, signIn, tabTo } from './keyboard';

const words = {
  fr: {
    signIn: '/fr/connexion',
    home: '/fr/services-code-batiment',
    payItem: 'Payer les frais',
    pay: 'Payer',
    approve: 'Approuver',
    received: 'Paiement reçu',
    unpaid: '/fr/frais-impayes',
    mail: /^Reçu REC-/,
    receiptTitle: 'Reçu / Receipt',
  },
  en: {
    signIn: '/en/sign-in',
    home: '/en/building-code-services',
    payItem: 'Pay the fees',
    pay: 'Pay',
    approve: 'Approve',
    received: 'Payment received',
    unpaid: '/en/unpaid-fees',
    mail: /^Receipt REC-/,
    receiptTitle: 'Reçu / Receipt',
  },
} as const;

const run = browserAvailable();

describe.runIf(run)(
  'J9 in a real browser, keyboard only, without JavaScript: a fee assessed, paid, the permit issued',
  { timeout: JOURNEY.timeout * 2 },
  () => {
    const portal = testPortal({ rateLimitScale: 10 });
    const { app, runtime } = portal;
    const harness = browserHarness(app);
    const contexts: BrowserContext[] = [];
    const noScript = async () => {
      const context = await harness.browser.newContext({ javaScriptEnabled: false });
      contexts.push(context);
      return context.newPage();
    };
    afterAll(async () => {
      await Promise.all(contexts.map((c) => c.close()));
      await portal.close();
    });

    for (const lang of ['fr', 'en'] as const) {
      const w = words[lang];
      for (const who of ['applicant', 'company member with Payer'] as const) {
        it(`${lang}, ${who}: Actions requises → Frais impayés → pay → receipt → the permit issued`, async () => {
          // The application: the person's own, or their company's (submitted by its manager).
          const manager = visitor(app);
          const owner = await registeredUser(manager, { lang });
          let payer = owner;
          let number: string;
          let outsider: string | undefined;
          if (who === 'applicant') number = await submittedApplication(manager, lang);
          else {
            const company = await createdCompany(manager, `Paiements ${lang} ${Date.now()}`);
            number = await submittedApplication(manager, lang, { onBehalfOf: String(company.id) });
            const member = await companyMember(app, runtime.db, company.id, { can_pay: true });
            payer = { email: member.email, password: owner.password };
            outsider = (await companyMember(app, runtime.db, company.id, { can_inspect: true })).email;
            await runtime.db('users').where({ email: payer.email }).update({ locale: lang });
          }
          const { agent: staff } = await signedInStaff(app, runtime);
          await staffAct(staff, number, 'startReview');
          expect(
            (await staffAct(staff, number, 'assessFees', { feeAmount: '1 250,50', feesReason: 'Essai' }))
              .status,
          ).toBe(303);

          // The payer finds the fee under Actions requises (its own applications) and Frais impayés.
          const page = await noScript();
          await signIn(page, harness.origin + w.signIn, payer.email, payer.password);
          if (who === 'applicant') {
            await page.goto(harness.origin + w.home);
            await expectAccessibleWithoutScript(page);
            await press(page, w.payItem);
          } else await page.goto(harness.origin + w.unpaid);
          expect(new URL(page.url()).pathname).toBe(w.unpaid);
          await expectAccessibleWithoutScript(page);
          expect(await page.locator('main').textContent()).toContain(number);
          // The fee is ticked already; a keyboard user passes by it, then presses Payer.
          const fee = await runtime
            .db('fees')
            .join('applications', 'applications.id', 'fees.application_id')
            .where('applications.number', number)
            .first('fees.id');
          await tabTo(page, { id: `fee-${fee.id}` });
          await press(page, w.pay);
          expect(new URL(page.url()).pathname).toMatch(/\/dev\/(paiement|payment)\//);
          await expectAccessibleWithoutScript(page);
          await press(page, w.approve);
          expect(await page.locator('h1').textContent()).toBe(w.received);
          await expectAccessibleWithoutScript(page);

          const mail = await waitForEmail(payer.email, w.mail);
          const receipt = mail.attachments.find((a) => a.contentType === 'application/pdf')!;
          expect(await pdfText(receipt.content)).toContain(w.receiptTitle);

          // Paid: staff issue the permit.
          expect((await staffAct(staff, number, 'issue')).status).toBe(303);
          expect((await runtime.db('applications').where({ number }).first()).status).toBe('issued');

          // A member without Payer never saw the fee, and cannot reach its receipt.
          if (outsider) {
            const receiptNumber = /REC-\d{4}-\d{6}/.exec(mail.subject)![0];
            const signedIn = visitor(app);
            const login = await signedIn.get('/fr/connexion');
            const token = /name="_csrf" value="([^"]+)"/.exec(login.text)![1]!;
            await signedIn
              .post('/fr/connexion')
              .type('form')
              .send({ _csrf: token, email: outsider, password: owner.password });
            expect((await signedIn.get(`/fr/recus/${receiptNumber}.pdf`)).status).toBe(404);
            expect(await signedIn.get('/fr/frais-impayes').then((r) => r.text)).not.toContain(number);
          }
        });
      }
    }
  },
);
