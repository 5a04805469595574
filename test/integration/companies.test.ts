import { afterAll, describe, expect, it } from 'vitest';
import { freshPin } from '../../src/domain/pins';
import { registeredUser } from '../support/accounts';
import { testPortal, testPins } from '../support/app';
import { csrfFrom, submitForm, textOf, visitor, type Visitor } from '../support/browser-like';
import {
  ASSOCIATE,
  bulk,
  COMPANY_TAB,
  companyPath,
  createdCompany,
  membersPath,
  NEW_COMPANY,
} from '../support/companies';
import { waitForEmail } from '../support/mailbox';

const portal = testPortal();
const { app, runtime } = portal;
afterAll(() => portal.close());

async function idOf(email: string): Promise<number> {
  return (await runtime.db('users').where({ email }).first()).id;
}

async function person(options: { lang?: 'fr' | 'en'; firstName?: string } = {}) {
  const agent = visitor(app);
  const { email } = await registeredUser(agent, options);
  return { agent, email, id: await idOf(email) };
}

async function associate(agent: Visitor, pin: string) {
  return submitForm(agent, COMPANY_TAB, ASSOCIATE, { pin });
}

async function memberRow(companyId: number, userId: number) {
  return runtime.db('company_members').where({ company_id: companyId, user_id: userId }).first();
}

describe('registering a professional or contractor', () => {
  it('makes the creator its manager with every permission, lists it on the tab, and gives it a PIN', async () => {
    const manager = await person();
    const { id, pin } = await createdCompany(manager.agent, 'LMS Architects');
    expect(pin).toMatch(
      /^[34679ACDEFGHJKMNPQRTUVWXY]{3}-[34679ACDEFGHJKMNPQRTUVWXY]{3}-[34679ACDEFGHJKMNPQRTUVWXY]{3}$/,
    );
    expect(await memberRow(id, manager.id)).toMatchObject({
      can_manage: true,
      can_submit: true,
      can_pay: true,
      can_inspect: true,
      can_upload: true,
      can_manage_templates: true,
    });
    const tab = textOf((await manager.agent.get(COMPANY_TAB)).text);
    expect(tab).toContain('LMS Architects');
    expect(tab).toContain('(613) 580-2400');
    // The PIN is kept hashed and sealed, never in clear.
    const row = await runtime.db('companies').where({ id }).first();
    expect(JSON.stringify(row)).not.toContain(pin);
    expect(Buffer.compare(row.pin_hash, testPins.hash(pin))).toBe(0);
  });

  it('refuses the form without the legal name and phone, beside each field', async () => {
    const manager = await person();
    const res = await submitForm(manager.agent, NEW_COMPANY, NEW_COMPANY, {
      operatingName: 'LMS',
      tarionNumber: 'bad number!',
    });
    expect(res.status).toBe(422);
    const text = textOf(res.text);
    expect(text).toContain("Entrez le nom de l'entreprise");
    expect(text).toContain('Entrez votre numéro de téléphone.');
    expect(text).toContain("Le numéro d'enregistrement Tarion");
    expect(res.text).toContain('value="LMS"');
    expect(await runtime.db('companies').where({ created_by: manager.id })).toHaveLength(0);
  });
});

describe('associating with a PIN', () => {
  it('joins with no permission, says a manager must grant access, and emails each manager in their language', async () => {
    const manager = await person({ lang: 'en' });
    const { id, pin } = await createdCompany(manager.agent, 'Northwind Builders');
    const colleague = await person({ firstName: 'Jannee' });
    const res = await associate(colleague.agent, pin.replace(/-/g, '').toLowerCase());
    expect(res.status).toBe(303);
    expect(textOf((await colleague.agent.get(res.headers.location!)).text)).toContain(
      'Un gestionnaire doit maintenant vous accorder des autorisations',
    );
    expect(await memberRow(id, colleague.id)).toMatchObject({
      can_manage: false,
      can_submit: false,
      can_pay: false,
    });
    const mail = await waitForEmail(manager.email, /New account associated/);
    expect(mail.text).toContain('Jannee Trainer');
    expect(mail.text).toContain('Northwind Builders');

    const again = await associate(colleague.agent, pin);
    expect(again.status).toBe(422);
    expect(textOf(again.text)).toContain('Votre compte est déjà associé');
  });

  it('refuses a wrong PIN beside the field, logs it, and stops guessing after 5 in an hour', async () => {
    const manager = await person();
    const { pin } = await createdCompany(manager.agent);
    const guesser = await person();
    const wrong = await associate(guesser.agent, 'AAA-AAA-AAA');
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.text)).toContain("Ce NIP n'est pas valide.");
    expect(await runtime.db('pin_failures').where({ user_id: guesser.id, kind: 'company' })).toHaveLength(1);
    for (let i = 0; i < 4; i += 1) await associate(guesser.agent, `WRONG${i}`);
    const blocked = await associate(guesser.agent, pin);
    expect(blocked.status).toBe(429);
    expect(await runtime.db('company_members').where({ user_id: guesser.id })).toHaveLength(0);
  });

  it('replaces the PIN on "Créer un nouveau code NIP": the old one fails at once', async () => {
    const manager = await person();
    const { id, pin } = await createdCompany(manager.agent);
    // First the question (without JavaScript, a page of its own); the PIN unchanged until answered.
    const asked = await submitForm(manager.agent, membersPath(id), `${companyPath(id)}/nouveau-nip`, {});
    expect(asked.status).toBe(200);
    expect(textOf(asked.text)).toContain('Voulez-vous vraiment créer un nouveau code NIP?');
    expect(textOf((await manager.agent.get(membersPath(id))).text)).toContain(`NIP : ${pin}`);
    const rotated = await manager.agent
      .post(`${companyPath(id)}/nouveau-nip`)
      .type('form')
      .send({ _csrf: csrfFrom(asked.text), confirm: 'yes' });
    expect(rotated.status).toBe(303);
    const page = textOf((await manager.agent.get(membersPath(id))).text);
    const newPin = /NIP : ([A-Z0-9-]{11})/.exec(page)![1]!;
    expect(newPin).not.toBe(pin);
    expect(page).toContain("Un nouveau code NIP a été créé. L'ancien ne fonctionne plus.");
    const late = await person();
    expect((await associate(late.agent, pin)).status).toBe(422);
    expect((await associate(late.agent, newPin)).status).toBe(303);
  });

  it('lets the first person with a contractor PIN from the city claim the earlier record and its applications', async () => {
    const cityPin = await freshPin(testPins.hash, async () => false);
    const [company] = await runtime
      .db('companies')
      .insert({
        legal_name: 'True Builders Inc',
        phone: '6135550100',
        pin_hash: testPins.hash(await freshPin(testPins.hash, async () => false)),
        pin_sealed: testPins.seal('UNUSED'),
        city_pin_hash: testPins.hash(cityPin),
      })
      .returning('id');
    const [application] = await runtime
      .db('applications')
      .insert({
        number: `CON-2019-${String(company.id % 1_000_000).padStart(6, '0')}`,
        permit_type: 'house',
        status: 'payment_due',
        street_number: '110',
        street_name: 'LAURIER AVE OUEST/WEST',
        city: 'Ottawa',
        description: 'Maison',
        company_id: company.id,
        applicant_name: 'True Builders Inc',
      })
      .returning('number');

    const owner = await person();
    expect((await associate(owner.agent, cityPin)).status).toBe(303);
    expect(await memberRow(company.id, owner.id)).toMatchObject({ can_manage: true });
    const list = await owner.agent.get('/fr/services-code-batiment/demandes');
    expect(list.text).toContain(application.number);
    // The city's PIN works once.
    const other = await person();
    expect((await associate(other.agent, cityPin)).status).toBe(422);
  });
});

describe('Comptes associés', () => {
  async function companyWithColleague() {
    const manager = await person();
    const { id, pin } = await createdCompany(manager.agent, 'Gagnon Construction');
    const colleague = await person({ firstName: 'Madiee' });
    await associate(colleague.agent, pin);
    return { manager, colleague, id };
  }

  it('grants one permission to the ticked rows, tells the person by email, and says what changed', async () => {
    const { manager, colleague, id } = await companyWithColleague();
    const res = await bulk(manager.agent, id, 'grant_submit', [colleague.id]);
    expect(res.status).toBe(303);
    expect(textOf((await manager.agent.get(res.headers.location!)).text)).toContain(
      '« Faire une demande » accordée à 1 compte.',
    );
    expect(await memberRow(id, colleague.id)).toMatchObject({
      can_submit: true,
      can_manage: false,
      can_pay: false,
    });
    const mail = await waitForEmail(colleague.email, /autorisations pour Gagnon Construction/);
    expect(mail.text).toContain('Faire une demande');
  });

  it('ticks every permission when granting Manage, and revokes them all', async () => {
    const { manager, colleague, id } = await companyWithColleague();
    await bulk(manager.agent, id, 'grant_manage', [colleague.id]);
    expect(await memberRow(id, colleague.id)).toMatchObject({
      can_manage: true,
      can_submit: true,
      can_pay: true,
      can_inspect: true,
      can_upload: true,
      can_manage_templates: true,
    });
    await bulk(manager.agent, id, 'revoke_all', [colleague.id]);
    expect(await memberRow(id, colleague.id)).toMatchObject({
      can_manage: false,
      can_submit: false,
      can_pay: false,
      can_inspect: false,
      can_upload: false,
      can_manage_templates: false,
    });
  });

  it('removes a person from the company, once the manager confirmed, and tells them', async () => {
    const { manager, colleague, id } = await companyWithColleague();
    // "Supprimer le compte" asks first, the ticked accounts carried to the question's own form.
    const asked = await bulk(manager.agent, id, 'remove', [colleague.id], false);
    expect(asked.status).toBe(200);
    expect(textOf(asked.text)).toContain('Voulez-vous vraiment retirer ce compte de l’entreprise?');
    expect(asked.text).toContain(`<input type="hidden" name="members" value="${colleague.id}">`);
    expect(asked.text).toContain('name="confirm" value="yes"');
    expect(await memberRow(id, colleague.id)).toBeDefined();
    const res = await bulk(manager.agent, id, 'remove', [colleague.id]);
    expect(res.status).toBe(303);
    expect(await memberRow(id, colleague.id)).toBeUndefined();
    await waitForEmail(colleague.email, /plus associé/);
    expect((await colleague.agent.get(companyPath(id))).status).toBe(404);
  });

  it('says so when no row is ticked', async () => {
    const { manager, id } = await companyWithColleague();
    const res = await bulk(manager.agent, id, 'grant_pay', []);
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('Cochez au moins un compte');
  });

  it('refuses to leave the company without a manager: demoting or removing the last one, themselves included', async () => {
    const { manager, colleague, id } = await companyWithColleague();
    for (const action of ['revoke_all', 'remove']) {
      const res = await bulk(manager.agent, id, action, [manager.id, colleague.id]);
      expect(res.status, action).toBe(409);
      expect(textOf(res.text)).toContain("Cette action laisserait l'entreprise sans gestionnaire");
    }
    expect(await memberRow(id, manager.id)).toMatchObject({ can_manage: true });
    expect(await memberRow(id, colleague.id)).toBeDefined();
  });

  it('has the database refuse it too, whatever the code does', async () => {
    const { manager, id } = await companyWithColleague();
    await expect(
      runtime
        .db('company_members')
        .where({ company_id: id, user_id: manager.id })
        .update({ can_manage: false }),
    ).rejects.toThrow(/without a manager/);
    await expect(
      runtime.db('company_members').where({ company_id: id, user_id: manager.id }).delete(),
    ).rejects.toThrow(/without a manager/);
  });

  it('has the database refuse two transactions that each demote the other manager at the same moment', async () => {
    const { manager, colleague, id } = await companyWithColleague();
    await bulk(manager.agent, id, 'grant_manage', [colleague.id]);
    // Both demotions are written before either commits: each sees the other manager still there.
    let release!: () => void;
    const bothWritten = new Promise<void>((resolve) => (release = resolve));
    let written = 0;
    const demote = (userId: number) =>
      runtime.db.transaction(async (tx) => {
        await tx('company_members').where({ company_id: id, user_id: userId }).update({ can_manage: false });
        written += 1;
        if (written === 2) release();
        await bothWritten;
      });
    const outcomes = await Promise.allSettled([demote(manager.id), demote(colleague.id)]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(String((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason)).toMatch(
      /without a manager/,
    );
    expect(await runtime.db('company_members').where({ company_id: id, can_manage: true })).toHaveLength(1);
  });

  it('keeps a manager when two managers demote and remove each other 50 times at once', async () => {
    const service = runtime.services.companies;
    for (let round = 0; round < 3; round += 1) {
      const a = await person();
      const { id, pin } = await createdCompany(a.agent, `Race ${round}`);
      const b = await person();
      await associate(b.agent, pin);
      await bulk(a.agent, id, 'grant_manage', [b.id]);
      const actorA = { userId: a.id, name: 'A', ip: undefined };
      const actorB = { userId: b.id, name: 'B', ip: undefined };
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          i % 2 === 0
            ? service.bulk(actorA, id, i % 4 === 0 ? 'revoke_all' : 'remove', [b.id])
            : service.bulk(actorB, id, i % 4 === 1 ? 'revoke_all' : 'remove', [a.id]),
        ),
      );
      const managers = await runtime.db('company_members').where({ company_id: id, can_manage: true });
      expect(managers.length, `round ${round}`).toBeGreaterThanOrEqual(1);
      expect(results.some((r) => r.ok)).toBe(true);
    }
  });

  it('records every join, permission change, removal and PIN change, readable by managers', async () => {
    const { manager, colleague, id } = await companyWithColleague();
    await bulk(manager.agent, id, 'grant_pay', [colleague.id]);
    await submitForm(manager.agent, membersPath(id), `${companyPath(id)}/nouveau-nip`, { confirm: 'yes' });
    await bulk(manager.agent, id, 'remove', [colleague.id]);
    const events = await runtime.db('company_events').where({ company_id: id }).orderBy('id');
    expect(events.map((e: { event: string }) => e.event)).toEqual([
      'created',
      'joined',
      'granted',
      'pin_changed',
      'removed',
    ]);
    const page = textOf((await manager.agent.get(`${companyPath(id)}/historique`)).text);
    expect(page).toContain('Vivian Trainer a accordé « Payer » à Madiee Trainer');
    expect(page).toContain("Vivian Trainer a retiré Madiee Trainer de l'entreprise");
  });

  it('pages the grid by 10 with counts', async () => {
    const manager = await person();
    const { id, pin } = await createdCompany(manager.agent);
    const ids: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const p = await person();
      await associate(p.agent, pin);
      ids.push(p.id);
    }
    const first = textOf((await manager.agent.get(membersPath(id))).text);
    expect(first).toContain('1-10 de 12');
    const second = textOf((await manager.agent.get(`${membersPath(id)}?page=2`)).text);
    expect(second).toContain('11-12 de 12');
  });
});

describe('what the permissions allow', () => {
  it('hides the company’s applications from a member with no permission, and shows them once granted', async () => {
    const manager = await person();
    const { id, pin } = await createdCompany(manager.agent, 'Visible Works');
    const start = await submitForm(
      manager.agent,
      '/fr/services-code-batiment/demandes/nouvelle',
      '/fr/services-code-batiment/demandes/nouvelle',
      {
        onBehalfOf: String(id),
        permitType: 'house',
        floorArea: '120',
        streetNumber: '1',
        streetName: 'RUE DU TEST',
        postalCode: 'K1P 1J1',
        description: 'Pour l’entreprise',
      },
    );
    const number = decodeURIComponent(start.headers.location!.split('/').pop()!);
    const row = await runtime.db('applications').where({ number }).first();
    expect(row).toMatchObject({ company_id: id, applicant_user_id: null, applicant_name: 'Visible Works' });

    const colleague = await person();
    await associate(colleague.agent, pin);
    expect((await colleague.agent.get(`/fr/services-code-batiment/demandes/${number}`)).status).toBe(404);
    const details = textOf((await colleague.agent.get(companyPath(id))).text);
    expect(details).toContain('Visible Works');
    expect(details).toContain("vous n'avez encore aucune autorisation");

    await bulk(manager.agent, id, 'grant_pay', [colleague.id]);
    expect((await colleague.agent.get(`/fr/services-code-batiment/demandes/${number}`)).status).toBe(200);
  });

  it('lets a member with Submit apply for the company, and refuses it to one without', async () => {
    const manager = await person();
    const { id, pin } = await createdCompany(manager.agent, 'Submit Co');
    const colleague = await person();
    await associate(colleague.agent, pin);
    const NEW = '/fr/services-code-batiment/demandes/nouvelle';
    const fields = {
      onBehalfOf: String(id),
      permitType: 'deck',
      floorArea: '120',
      streetNumber: '2',
      streetName: 'RUE B',
      postalCode: 'K1P 1J1',
      description: 'Terrasse',
    };
    const refused = await submitForm(colleague.agent, NEW, NEW, fields);
    expect(refused.status).toBe(422);
    expect(textOf(refused.text)).toContain(
      "Vous n'avez pas l'autorisation de faire une demande au nom de cette entreprise.",
    );
    expect(await runtime.db('applications').where({ company_id: id })).toHaveLength(0);

    await bulk(manager.agent, id, 'grant_submit', [colleague.id]);
    const form = await colleague.agent.get(NEW);
    expect(textOf(form.text)).toContain('Au nom de Submit Co');
    const accepted = await submitForm(colleague.agent, NEW, NEW, fields);
    expect(accepted.status).toBe(303);
    expect(await runtime.db('applications').where({ company_id: id })).toHaveLength(1);
  });
});

describe('PINs', () => {
  it('draws 100,000 distinct PINs in the right shape, retrying on collisions', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i += 1) {
      const pin = await freshPin(testPins.hash, async (hash) => seen.has(hash.toString('hex')));
      seen.add(testPins.hash(pin).toString('hex'));
    }
    expect(seen.size).toBe(100_000);
  });
});
