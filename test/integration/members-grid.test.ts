import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { csrfFrom, textOf, visitor, type Visitor } from '../support/browser-like';
import { companyMember, createdCompany, membersPath } from '../support/companies';
import { waitForEmail } from '../support/mailbox';
import { signedInStaff } from '../support/staff';

const portal = testPortal();
const { app, runtime } = portal;
afterAll(() => portal.close());

/** The grid's form as a browser sends it: every row shown, the ticked cells, the button pressed. */
async function sendGrid(
  agent: Visitor,
  companyId: number,
  fields: { row?: number[]; cell?: string[]; members?: number[]; action: string },
  query = '',
) {
  const page = await agent.get(membersPath(companyId) + query);
  const body = [
    `_csrf=${encodeURIComponent(csrfFrom(page.text))}`,
    `action=${fields.action}`,
    ...(fields.row ?? []).map((id) => `row=${id}`),
    ...(fields.cell ?? []).map((c) => `cell=${encodeURIComponent(c)}`),
    ...(fields.members ?? []).map((id) => `members=${id}`),
  ].join('&');
  return agent
    .post(membersPath(companyId) + query)
    .type('form')
    .send(body);
}

async function userId(email: string): Promise<number> {
  return (await runtime.db('users').where({ email }).first()).id as number;
}

async function permissionsOf(companyId: number, id: number) {
  const row = await runtime.db('company_members').where({ company_id: companyId, user_id: id }).first();
  return Object.entries(row)
    .filter(([k, v]) => k.startsWith('can_') && v === true)
    .map(([k]) => k)
    .sort();
}

const ALL = ['can_inspect', 'can_manage', 'can_manage_templates', 'can_pay', 'can_submit', 'can_upload'];

describe('issue 17 item 8: Comptes associés as the guide shows it', () => {
  it('grants or removes one permission alone, by its box on the person’s row', async () => {
    const manager = visitor(app);
    const { email: managerEmail } = await registeredUser(manager);
    const company = await createdCompany(manager, 'Grille Une Case');
    const alex = await companyMember(app, runtime.db, company.id, { can_inspect: true });
    const [me, alexId] = [await userId(managerEmail), await userId(alex.email)];

    // Every box of the manager stays ticked; Alex gets Payer beside Inspection.
    const mine = ['manage', 'submit', 'pay', 'inspect', 'upload', 'templates'].map((p) => `${me}:${p}`);
    const res = await sendGrid(manager, company.id, {
      action: 'save',
      row: [me, alexId],
      cell: [...mine, `${alexId}:inspect`, `${alexId}:pay`],
    });
    expect(res.status).toBe(303);
    expect(await permissionsOf(company.id, alexId)).toEqual(['can_inspect', 'can_pay']);
    expect(await permissionsOf(company.id, me)).toEqual(ALL);
    const after = await manager.get(membersPath(company.id));
    expect(textOf(after.text)).toContain('Autorisations enregistrées : 1 compte a changé.');
    expect(after.text).toMatch(new RegExp(`value="${alexId}:pay" id="cell-${alexId}-pay" checked`));
    expect(after.text).not.toMatch(new RegExp(`value="${alexId}:submit" id="cell-${alexId}-submit" checked`));
    const mail = await waitForEmail(alex.email, /Grille Une Case/);
    expect(mail.text).toMatch(/Payer/);

    // Inspection unticked, Payer kept: only that one goes.
    expect(
      (await sendGrid(manager, company.id, { action: 'save', row: [alexId], cell: [`${alexId}:pay`] }))
        .status,
    ).toBe(303);
    expect(await permissionsOf(company.id, alexId)).toEqual(['can_pay']);
    // The history says it in words, one line per person changed; the audit names Alex.
    const history = textOf(
      (await manager.get(`${membersPath(company.id).replace('/comptes-associes', '')}/historique`)).text,
    );
    expect(history).toMatch(/a fixé les autorisations de .+ : Payer/);
    expect(
      await runtime
        .db('audit_events')
        .where({ event: 'company.permissions_changed', subject_user_id: alexId }),
    ).toHaveLength(2);

    // The audit log says it in words: the action and what Alex is left with, not codes.
    const staff = (await signedInStaff(app, runtime)).agent;
    const audit = textOf(
      (await staff.get(`/fr/admin/journal?subject=${encodeURIComponent(alex.email)}`)).text,
    ).replace(/\s+/g, ' ');
    expect(audit).toContain('Action : Fixer les autorisations');
    expect(audit).toContain('Autorisations : Payer');
    expect(audit).toContain('Autorisations : Payer, Inspection');
    expect(audit).not.toContain('Retirer toutes les autorisations');

    // Nothing changed: said so, nothing written.
    await sendGrid(manager, company.id, { action: 'save', row: [alexId], cell: [`${alexId}:pay`] });
    expect(textOf((await manager.get(membersPath(company.id))).text)).toContain(
      "Aucune autorisation n'a changé.",
    );
    expect(
      await runtime
        .db('audit_events')
        .where({ event: 'company.permissions_changed', subject_user_id: alexId }),
    ).toHaveLength(2);
  });

  it('keeps a manager, and keeps what was ticked when it refuses', async () => {
    const manager = visitor(app);
    const { email } = await registeredUser(manager);
    const company = await createdCompany(manager, 'Grille Sans Gestionnaire');
    const me = await userId(email);
    // The only manager unticks Gérer (keeping Payer): refused, nothing written, the page as it was sent.
    const refused = await sendGrid(manager, company.id, { action: 'save', row: [me], cell: [`${me}:pay`] });
    expect(refused.status).toBe(409);
    expect(textOf(refused.text)).toContain("Cette action laisserait l'entreprise sans gestionnaire.");
    expect(await permissionsOf(company.id, me)).toEqual(ALL);
    expect(refused.text).toMatch(new RegExp(`value="${me}:pay" id="cell-${me}-pay" checked`));
    expect(refused.text).not.toMatch(new RegExp(`value="${me}:manage" id="cell-${me}-manage" checked`));
    // A bulk action refused likewise keeps the ticked row.
    const bulk = await sendGrid(manager, company.id, { action: 'revoke_all', members: [me] });
    expect(bulk.status).toBe(409);
    expect(bulk.text).toMatch(new RegExp(`name="members" value="${me}" id="member-${me}"[^>]* checked`));
    // A bulk button with nothing ticked says so beside the list.
    const none = await sendGrid(manager, company.id, { action: 'grant_pay' });
    expect(none.status).toBe(422);
    expect(textOf(none.text)).toContain(
      'Cochez au moins un compte dans la liste, puis choisissez une action.',
    );
  });

  it('refuses a box for someone not on the page or a permission that does not exist, writing nothing', async () => {
    const manager = visitor(app);
    await registeredUser(manager);
    const company = await createdCompany(manager, 'Grille Hostile');
    const other = visitor(app);
    await registeredUser(other);
    const elsewhere = await createdCompany(other, 'Ailleurs Inc');
    const outsider = await companyMember(app, runtime.db, elsewhere.id, {});
    const outsiderId = await userId(outsider.email);
    const alex = await companyMember(app, runtime.db, company.id, {});
    const alexId = await userId(alex.email);
    for (const fields of [
      { row: [alexId], cell: [`${outsiderId}:pay`] },
      { row: [alexId], cell: [`${alexId}:everything`] },
      { row: ['1;DROP' as unknown as number], cell: [] },
      { row: [], cell: [] },
    ]) {
      const res = await sendGrid(manager, company.id, { action: 'save', ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(422);
    }
    // A row of another company is not this company's to set.
    const foreign = await sendGrid(manager, company.id, {
      action: 'save',
      row: [outsiderId],
      cell: [`${outsiderId}:pay`],
    });
    expect(foreign.status).toBe(422);
    expect(await permissionsOf(elsewhere.id, outsiderId)).toEqual([]);
    expect(await permissionsOf(company.id, alexId)).toEqual([]);
  });

  it('offers Lignes par page, the select-all box, the count with plurals, and the six roles in the guide’s words', async () => {
    const manager = visitor(app);
    await registeredUser(manager);
    const company = await createdCompany(manager, 'Grille Longue');
    for (let i = 0; i < 11; i += 1) await companyMember(app, runtime.db, company.id, {});
    const ten = await manager.get(membersPath(company.id));
    expect(textOf(ten.text)).toContain('1-10 de 12');
    const all = await manager.get(`${membersPath(company.id)}?size=25`);
    expect(textOf(all.text)).toContain('1-12 de 12');
    expect(all.text).toMatch(/<option value="25" selected>/);
    expect(textOf((await manager.get(`${membersPath(company.id)}?size=7`)).text)).toContain('1-10 de 12');
    const html = ten.text;
    expect(html).toContain('data-one="{count} compte sélectionné"');
    expect(html).toContain('data-other="{count} comptes sélectionnés"');
    expect(html).toMatch(
      /<input type="checkbox" id="select-all" data-select-all aria-label="Tout sélectionner" hidden>/,
    );
    const text = textOf(html);
    expect(text).toContain('Voici les différentes autorisations :');
    expect(text).toContain(
      "Le rôle Payer permet à l'utilisateur de gérer les comptes de paiement et de faire des paiements.",
    );
    expect(text).toContain(
      "Le rôle Téléverser des fichiers permet à l'utilisateur d'ajouter des documents dans la demande de permis.",
    );
    const en = textOf(
      (
        await manager.get(
          membersPath(company.id)
            .replace('/fr/services-code-batiment/entreprises', '/en/building-code-services/companies')
            .replace('comptes-associes', 'associated-accounts'),
        )
      ).text,
    );
    expect(en).toContain('The Pay role lets the user manage payment accounts and make payments.');
  });
});
