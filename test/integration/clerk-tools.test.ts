import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submittedApplication } from '../support/applications';
import { submitForm, textOf, visitor } from '../support/browser-like';
import { bulk, companyMember, createdCompany } from '../support/companies';
import { signedInStaff } from '../support/staff';
import { searchApplications } from '../../src/features/staff/queries';
import { submittedWithdrawal } from '../support/withdrawals';

const portal = testPortal();
const { app, runtime } = portal;
afterAll(() => portal.close());

// A street no other test uses, so the search finds only this file's applications.
const street = `rue Elgin-${Date.now().toString(36)}`;

describe('issue 17 item 6: the clerks’ tools', () => {
  it('finds "42 rue Elgin" from "elgin", whatever the case and accents, through the trigram index', async () => {
    const { agent: staff } = await signedInStaff(app, runtime);
    const applicant = visitor(app);
    await registeredUser(applicant);
    const elgin = await submittedApplication(applicant, 'fr', { streetNumber: '42', streetName: street });
    const montreal = await submittedApplication(applicant, 'fr', {
      streetNumber: '7',
      streetName: `chemin de Montréal ${street}`,
    });
    const found = async (q: string) => {
      const text = textOf((await staff.get(`/fr/admin/demandes?q=${encodeURIComponent(q)}`)).text);
      return [elgin, montreal].filter((n) => text.includes(n));
    };
    expect(await found(street.replace('rue ', ''))).toEqual([elgin, montreal]);
    expect(await found(street.toUpperCase())).toEqual([elgin, montreal]);
    expect(await found(`42 ${street}`)).toEqual([elgin]);
    expect(await found(`MONTREAL ${street}`)).toEqual([montreal]);
    expect(await found(`montréal ${street}`)).toEqual([montreal]);
    // The user's % and _ are letters, not wildcards.
    expect(await found(`%${street.slice(-6)}`)).toEqual([]);

    // The query's address expression is the index's: PostgreSQL can serve it from the trigram index.
    const plan = await runtime.db.transaction(async (tx) => {
      await tx.raw('SET LOCAL enable_seqscan = off');
      const { rows } = await tx.raw(
        `EXPLAIN SELECT id FROM applications
           WHERE portal_fold(coalesce(street_number, '') || ' ' || coalesce(street_name, '')) LIKE portal_fold(?)`,
        ['%elgin%'],
      );
      return rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('applications_street_search');
  });

  it('can read the search newest first from an index, so a common term stops at the 50th match', async () => {
    // A million applications where one in ten is on rue Elgin: sorting every match for the latest 50 took
    // 5.5 s under load. With sorting priced out, the plan must still exist, and need no sort.
    const { sql, bindings } = searchApplications(runtime.db, 'elgin').toSQL();
    const plan = await runtime.db.transaction(async (tx) => {
      await tx.raw('SET LOCAL enable_sort = off');
      const { rows } = await tx.raw(`EXPLAIN ${sql}`, bindings);
      return rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('Index Scan using applications_activity');
    expect(plan).not.toMatch(/Sort/);
  });

  it('says an account search found nothing, in its own words', async () => {
    const { agent: staff } = await signedInStaff(app, runtime);
    const text = textOf((await staff.get('/fr/admin/comptes?q=zzqx-personne')).text).replace(/\s+/g, ' ');
    expect(text).toContain('Aucun compte ne correspond à « zzqx-personne ».');
    expect(text).toContain('Aucune entreprise ne correspond à « zzqx-personne ».');
    expect(text).not.toContain('Aucune demande ne correspond');
  });

  it('shows the address on a withdrawal decision, asks an amount only for a partial refund, and keeps decisions findable', async () => {
    const { agent: staff } = await signedInStaff(app, runtime, 'Agente Lafleur');
    const w = await submittedWithdrawal(app, runtime.db);
    const path = `/fr/admin/demandes-de-retrait/${w.requestId}`;
    const page = (await staff.get(path)).text;
    expect(textOf(page)).toContain('Emplacement 110 LAURIER AVE OUEST/WEST, Ottawa, ON');
    expect(textOf(page)).toContain('Frais payés (remboursables) 0,00 $');
    // The amount sits in the block the stylesheet shows only once "partiel" is ticked.
    expect(page).toMatch(/<div class="refund-amount">\s*<div class="field">\s*<label for="amount">/);
    expect(page).toContain('class="refund-form"');

    expect(textOf((await staff.get('/fr/admin/demandes-de-retrait')).text)).not.toContain(
      `${w.number} ${w.email}`,
    );
    const decided = await submitForm(staff, path, path, {
      decision: 'refuse',
      staffComment: 'Les travaux sont commencés.',
    });
    expect(decided.status).toBe(303);
    const queue = textOf((await staff.get('/fr/admin/demandes-de-retrait')).text);
    const recent = queue.slice(queue.indexOf('Décisions récentes'));
    expect(recent).toContain(w.number);
    expect(recent).toContain('refusée');
    expect(recent).toContain('Agente Lafleur');
    const after = textOf((await staff.get(path)).text);
    expect(after).toContain('Décidée par Agente Lafleur');
    expect(after).toContain('Commentaire transmis au demandeur Les travaux sont commencés.');
  });

  it('finds an earlier record by its name to print its letter again, however many came after', async () => {
    const { agent: staff, id: staffId } = await signedInStaff(app, runtime);
    const name = `Dossier Ancien ${Date.now().toString(36)}`;
    const created = await submitForm(
      staff,
      '/fr/admin/dossiers-anterieurs',
      '/fr/admin/dossiers-anterieurs',
      {
        kind: 'client',
        name,
      },
    );
    expect(created.status).toBe(303);
    const letter = created.headers.location!;
    // 30 newer records push it off the "Dossiers récents" list (25 of each kind).
    for (let i = 0; i < 30; i += 1)
      await runtime.services.earlierRecords.create(
        { userId: staffId, ip: undefined },
        'client',
        `Plus récent ${i}`,
        null,
      );
    expect((await staff.get('/fr/admin/dossiers-anterieurs')).text).not.toContain(letter);
    const search = await staff.get(
      `/fr/admin/dossiers-anterieurs?q=${encodeURIComponent(name.toLowerCase())}`,
    );
    expect(search.text).toContain(`href="${letter}"`);
    expect(textOf(search.text)).toContain(`Dossiers dont le nom commence par « ${name.toLowerCase()} »`);
    const none = textOf((await staff.get('/fr/admin/dossiers-anterieurs?q=zzqx')).text);
    expect(none).toContain('Aucun dossier ne commence par « zzqx ».');
  });

  it('names the person a manager gave a permission to, in words, and writes IPv4 addresses plainly', async () => {
    const manager = visitor(app, '::ffff:198.51.100.23');
    await registeredUser(manager);
    const legalName = `Journal Lisible ${Date.now().toString(36)}`;
    const company = await createdCompany(manager, legalName);
    const alex = await companyMember(app, runtime.db, company.id, {});
    const alexId = (await runtime.db('users').where({ email: alex.email }).first()).id as number;
    expect((await bulk(manager, company.id, 'grant_pay', [alexId])).status).toBe(303);

    const row = await runtime
      .db('audit_events')
      .where({ event: 'company.permissions_changed', subject_user_id: alexId })
      .first();
    expect(row).toBeDefined();
    expect(row.actor_user_id).not.toBe(alexId);
    expect(row.ip).toBe('198.51.100.23');

    const { agent: staff } = await signedInStaff(app, runtime);
    const html = (
      await staff.get(
        `/fr/admin/journal?subject=${encodeURIComponent(alex.email)}&event=company.permissions_changed`,
      )
    ).text;
    const text = textOf(html).replace(/\s+/g, ' ');
    expect(text).toContain(alex.email);
    expect(text).toContain('Action : Accorder « Payer »');
    expect(text).toContain(`Entreprise : ${legalName}`);
    expect(text).toContain('198.51.100.23');
    expect(html).not.toContain('::ffff:');
    expect(html).not.toContain('{&#34;');
    expect(html).not.toContain('companyId');
    // The same words in English.
    const en = textOf(
      (await staff.get(`/en/admin/audit-log?subject=${encodeURIComponent(alex.email)}`)).text,
    ).replace(/\s+/g, ' ');
    expect(en).toContain('Action: Grant “Pay”');
    expect(en).toContain(`Company: ${legalName}`);
  });
});
