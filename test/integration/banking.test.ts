import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submitForm, textOf, visitor } from '../support/browser-like';
import { companyMember, createdCompany } from '../support/companies';
import { waitForEmail } from '../support/mailbox';

const portal = testPortal({ rateLimitScale: 10 });
const { app, runtime } = portal;
const db = runtime.db;
afterAll(() => portal.close());

const bankPath = (id: number) => `/fr/services-code-batiment/entreprises/${id}/informations-bancaires`;

describe('Informations bancaires (J9)', () => {
  it('keeps the account sealed, shows it masked, tells every manager, and lets only Payer or Gérer change it', async () => {
    const manager = visitor(app);
    const { email: managerEmail } = await registeredUser(manager);
    const company = await createdCompany(manager, 'Banque Rideau');
    const payer = await companyMember(app, db, company.id, { can_pay: true });
    const submitter = await companyMember(app, db, company.id, { can_submit: true });
    const stranger = visitor(app);
    await registeredUser(stranger);
    const path = bankPath(company.id);

    // Bad input: each message beside its field, in the page's language, and nothing stored.
    const bad = await submitForm(payer.agent, path, path, { institution: '12', transit: '', account: '12a' });
    expect(bad.status).toBe(422);
    for (const message of [
      'Le numéro d’institution compte 3 chiffres.',
      'Entrez le numéro de succursale (transit).',
      'Le numéro de compte compte de 7 à 12 chiffres.',
    ])
      expect(textOf(bad.text)).toContain(message);
    expect((await db('companies').where({ id: company.id }).first()).bank_sealed).toBeNull();

    const saved = await submitForm(payer.agent, path, path, {
      institution: '001',
      transit: '12 345',
      account: '1234567890',
    });
    expect(saved.status).toBe(303);
    const row = await db('companies').where({ id: company.id }).first();
    // Sealed at rest: the number is nowhere in the row.
    expect(row.bank_sealed).not.toContain('1234567890');
    const page = textOf((await manager.get(path)).text);
    expect(page).toContain('Numéro de compte se terminant par 890');
    expect(page).not.toContain('1234567890');
    const mail = await waitForEmail(managerEmail, /Compte bancaire changé : Banque Rideau/);
    expect(mail.text).toContain('se terminant par 890');
    expect(
      textOf((await manager.get(`/fr/services-code-batiment/entreprises/${company.id}/historique`)).text),
    ).toContain('a changé le compte bancaire');

    // A member without Payer: 403 on the page and on the form; a stranger: 404. Nothing changes.
    expect((await submitter.agent.get(path)).status).toBe(403);
    const refused = await submitForm(submitter.agent, '/fr/tableau-de-bord', path, {
      institution: '002',
      transit: '54321',
      account: '9999999',
    });
    expect(refused.status).toBe(403);
    expect((await stranger.get(path)).status).toBe(404);
    expect((await db('companies').where({ id: company.id }).first()).bank_sealed).toBe(row.bank_sealed);
  });
});
