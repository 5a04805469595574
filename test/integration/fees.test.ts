import { afterAll, describe, expect, it } from 'vitest';
import { cityDay } from '../../src/domain/business-days';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { applicationsBase, submittedApplication } from '../support/applications';
import { submitForm, textOf, visitor, type Visitor } from '../support/browser-like';
import { companyMember, createdCompany } from '../support/companies';
import { waitForEmail } from '../support/mailbox';
import { signedInStaff, staffAct } from '../support/staff';

const portal = testPortal({ rateLimitScale: 20 });
const { app, runtime } = portal;
const db = runtime.db;
afterAll(() => portal.close());

const TABLE = '/fr/admin/bareme-des-frais';
const staffPage = (number: string) => `/fr/admin/demandes/${number}`;

const act = staffAct;

/** The count beside "Frais impayés" in the top bar. */
async function unpaidCount(agent: Visitor): Promise<number> {
  const html = (await agent.get('/fr/tableau-de-bord')).text;
  return Number(/Frais impayés <span class="count[^"]*">(\d+)<\/span>/.exec(html)![1]);
}

describe('the fee table (Barème des frais)', () => {
  it('takes a new line from today on, refuses a past date or a bad amount beside the field, and keeps the history', async () => {
    const { agent: staff } = await signedInStaff(app, runtime, 'Agente Barème');
    const past = await submitForm(staff, TABLE, TABLE, {
      permitType: 'deck',
      rate: '5,50',
      flat: 'cinquante',
      minimum: '125',
      effectiveFrom: '2020-01-01',
      reason: 'Essai',
    });
    expect(past.status).toBe(422);
    const shown = textOf(past.text);
    expect(shown).toContain('Entrez un montant en dollars, par exemple 1 250,50.');
    expect(shown).toContain('Choisissez aujourd’hui ou une date à venir');
    expect(past.text).toContain('value="5,50"');
    const before = await db('fee_schedules').count<{ n: string }>('* as n').first();
    expect(
      (
        await submitForm(staff, TABLE, TABLE, {
          permitType: 'deck',
          rate: '5,50',
          flat: '50',
          minimum: '125,00',
          effectiveFrom: cityDay(new Date()),
          reason: 'Règlement 2026-42',
        })
      ).status,
    ).toBe(303);
    const after = await db('fee_schedules').count<{ n: string }>('* as n').first();
    expect(Number(after!.n) - Number(before!.n)).toBe(1);
    const line = await db('fee_schedules').orderBy('id', 'desc').first();
    expect(line).toMatchObject({ rate_cents_per_m2: 550, flat_cents: 5_000, minimum_cents: 12_500 });
    expect(textOf((await staff.get(TABLE)).text)).toContain('Terrasse En vigueur 5,50 $ 50,00 $ 125,00 $');
  });
});

describe('assessing fees (Établir les frais)', () => {
  it('suggests the table’s fee from the floor area, moves to Paiement exigible, emails, and asks the applicant to pay', async () => {
    const { agent: staff } = await signedInStaff(app, runtime);
    await submitForm(staff, TABLE, TABLE, {
      permitType: 'deck',
      rate: '12,34',
      flat: '250',
      minimum: '0',
      effectiveFrom: cityDay(new Date()),
      reason: 'Essai du calcul',
    });
    const applicant = visitor(app);
    const { email } = await registeredUser(applicant);
    // No floor area for a deck: refused beside the field, in the page's language.
    const path = `${applicationsBase('fr')}/nouvelle`;
    const missing = await submitForm(applicant, path, path, {
      permitType: 'deck',
      streetNumber: '7',
      streetName: 'RUE DES FRAIS',
      postalCode: 'K1P 1J1',
      description: 'Terrasse',
    });
    expect(missing.status).toBe(422);
    expect(textOf(missing.text)).toContain(
      'Entrez la superficie en m² : les frais de ce type de permis en dépendent.',
    );
    const number = await submittedApplication(applicant, 'fr', { permitType: 'deck', floorArea: '120,5' });
    expect((await db('applications').where({ number }).first()).floor_area_m2).toBe('120.50');
    await act(staff, number, 'startReview');

    // 250 $ + 120,5 m² × 12,34 $/m² = 1 736,97 $
    const page = textOf((await staff.get(staffPage(number))).text);
    expect(page).toContain('Selon le barème : 1 736,97 $.');
    // Another amount without a reason: asked for one, beside the field, the amount kept.
    const noReason = await act(staff, number, 'assessFees', { feeAmount: '1 500' });
    expect(noReason.status).toBe(422);
    expect(textOf(noReason.text)).toContain('Le montant diffère de celui du barème : entrez la raison.');
    expect(noReason.text).toContain('value="1 500"');
    expect(
      await db('fees').where({ application_id: (await db('applications').where({ number }).first()).id }),
    ).toHaveLength(0);
    expect((await act(staff, number, 'assessFees', { feeAmount: '1736.97' })).status).toBe(303);

    const application = await db('applications').where({ number }).first();
    expect(application.status).toBe('payment_due');
    const [fee] = await db('fees').where({ application_id: application.id });
    expect(fee).toMatchObject({ amount_cents: 173_697, suggested_cents: 173_697, status: 'due' });
    const mail = await waitForEmail(email, /Frais à payer/);
    expect(mail.subject).toBe(`Frais à payer : ${number} (1\u00a0736,97\u00a0$)`);
    // The applicant: a required action to pay, and the fee under Frais impayés, counted in the top bar.
    expect(await unpaidCount(applicant)).toBe(1);
    const home = await applicant.get('/fr/services-code-batiment');
    expect(home.text).toContain('href="/fr/frais-impayes">Payer les frais</a>');
    const unpaid = textOf((await applicant.get('/fr/frais-impayes')).text);
    expect(unpaid).toContain(`${number} 1 736,97 $ 110 LAURIER AVE OUEST/WEST`);
    expect(unpaid).toContain('Total à payer 1 736,97 $');
    const own = textOf((await applicant.get(`${applicationsBase('fr')}/${number}`)).text);
    expect(own).toContain('Droits de permis de construire');
    expect(own).toContain('Le délai de décision est suspendu jusqu’au paiement des frais.');

    // Staff take the assessment back: the fee is cancelled, nothing is left to pay.
    expect((await act(staff, number, 'resumeReview')).status).toBe(303);
    expect((await db('fees').where({ id: fee.id }).first()).status).toBe('cancelled');
    expect(await unpaidCount(applicant)).toBe(0);
  });

  it('shows a company’s fee to its members with Payer or Gérer, and to nobody else', async () => {
    const manager = visitor(app);
    await registeredUser(manager);
    const company = await createdCompany(manager, 'Fondations Gatineau');
    const number = await submittedApplication(manager, 'fr', { onBehalfOf: String(company.id) });
    const { agent: payer } = await companyMember(app, db, company.id, { can_pay: true });
    const { agent: submitter } = await companyMember(app, db, company.id, { can_submit: true });
    const stranger = visitor(app);
    await registeredUser(stranger);
    const { agent: staff } = await signedInStaff(app, runtime);
    await act(staff, number, 'startReview');
    expect((await act(staff, number, 'assessFees', { feeAmount: '900', feesReason: 'Forfait' })).status).toBe(
      303,
    );
    for (const [who, agent, count] of [
      ['manager', manager, 1],
      ['payer', payer, 1],
      ['submitter', submitter, 0],
      ['stranger', stranger, 0],
    ] as const) {
      expect(await unpaidCount(agent), who).toBe(count);
      // On the application's page too: the fees are for those who may pay them.
      const page = await agent.get(`${applicationsBase('fr')}/${number}`);
      if (who !== 'stranger')
        expect(textOf(page.text).includes('Droits de permis de construire'), who).toBe(count === 1);
      expect(textOf((await agent.get('/fr/frais-impayes')).text).includes(number), who).toBe(count === 1);
      // Droits et paiements: the company's fees, for Payer or Gérer; 403 for another member, 404 for a stranger.
      const tab = await agent.get(`/fr/services-code-batiment/entreprises/${company.id}/droits-et-paiements`);
      expect(tab.status, who).toBe(count === 1 ? 200 : who === 'stranger' ? 404 : 403);
      if (count === 1) {
        expect(textOf(tab.text), who).toContain('Frais à payer');
        expect(tab.text, who).toContain('name="fees" value=');
        expect(tab.text, who).toContain('aria-current="page">Droits et paiements</a>');
      }
    }
  });
});
