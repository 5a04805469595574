import { afterAll, describe, expect, it } from 'vitest';
import { createClientRecord } from '../../src/features/earlier-records/client-records';
import { cityYear } from '../../src/domain/formatting';
import { registeredUser } from '../support/accounts';
import { testPortal, testPins } from '../support/app';
import { submitForm, textOf, visitor, type Visitor } from '../support/browser-like';
import { waitForEmail } from '../support/mailbox';

const portal = testPortal();
const { app, runtime } = portal;
afterAll(() => portal.close());

const NEW = '/fr/services-code-batiment/demandes/nouvelle';
const LIST = '/fr/services-code-batiment/demandes';
const HOME = '/fr/services-code-batiment';
const APPLICATION = {
  permitType: 'deck',
  floorArea: '120',
  streetNumber: '110',
  streetName: 'LAURIER AVE OUEST/WEST',
  postalCode: 'k1p 1j1',
  description: 'Terrasse arrière de 4 m sur 5 m',
};

async function start(agent: Visitor, fields: Record<string, string> = {}) {
  return submitForm(agent, NEW, NEW, { ...APPLICATION, ...fields });
}

function refFrom(location: string | undefined): string {
  return decodeURIComponent(location!.split('/').pop()!);
}

describe('starting an application (J5)', () => {
  it('submits with a file number of the year, status Soumis, and a history entry', async () => {
    const agent = visitor(app);
    const { email } = await registeredUser(agent, { firstName: 'Ada', lastName: 'Lovelace' });
    const res = await start(agent, { action: 'submit' });
    expect(res.status).toBe(303);
    const number = refFrom(res.headers.location);
    expect(number).toMatch(new RegExp(`^CON-${cityYear(new Date())}-\\d{6}$`));

    const row = await runtime.db('applications').where({ number }).first();
    expect(row).toMatchObject({
      status: 'submitted',
      permit_type: 'deck',
      postal_code: 'K1P 1J1',
      applicant_name: 'Ada Lovelace',
      city: 'Ottawa',
    });
    const events = await runtime.db('application_events').where({ application_id: row.id }).orderBy('id');
    expect(events.map((e: { event: string }) => e.event)).toEqual(['created', 'submitted']);

    const page = await agent.get(res.headers.location!);
    const text = textOf(page.text);
    expect(text).toContain('Activités de la demande');
    expect(text).toContain(`Votre demande a été soumise. Son numéro de dossier est ${number}.`);
    expect(text).toContain('Soumis');
    expect(text).toContain('Demande soumise : statut « Soumis » (auparavant « Brouillon »)');
    expect(text).toContain('Ada Lovelace');

    const list = await agent.get(LIST);
    expect(list.text).toContain(`>${number}</a>`);
    expect(textOf(list.text)).toContain('110 LAURIER AVE OUEST/WEST, Ottawa, ON');

    // The receipt: the file number and what was submitted, in the submitter's language.
    const receipt = await waitForEmail(email, /^Accusé de réception/);
    expect(receipt.subject).toBe(`Accusé de réception de la demande ${number}`);
    for (const line of [
      `Nous avons bien reçu la demande ${number}, soumise par Ada Lovelace le`,
      'Type de permis : Terrasse',
      'Emplacement : 110 LAURIER AVE OUEST/WEST, Ottawa, ON K1P 1J1',
      'Description : Terrasse arrière de 4 m sur 5 m',
    ])
      expect(receipt.text).toContain(line);
    expect(receipt.links.some((link) => link.endsWith(`/demandes/${number}`))).toBe(true);
  });

  it('shows the status and history in the page language', async () => {
    const agent = visitor(app);
    await registeredUser(agent, { lang: 'en' });
    const res = await submitForm(
      agent,
      '/en/building-code-services/applications/new',
      '/en/building-code-services/applications/new',
      APPLICATION,
    );
    const page = await agent.get(res.headers.location!);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain('Application submitted: status “Submitted” (was “Draft”)');
    expect(textOf(page.text)).toContain('Deck');
  });

  it('saves a draft without a number, lists it under Actions requises, and submits it later', async () => {
    const agent = visitor(app);
    await registeredUser(agent);
    const saved = await start(agent, { action: 'draft' });
    const ref = refFrom(saved.headers.location);
    expect(ref).toMatch(/^B\d+$/);
    const draft = await runtime
      .db('applications')
      .where({ id: Number(ref.slice(1)) })
      .first();
    expect(draft).toMatchObject({ status: 'draft', number: null });

    const home = await agent.get(HOME);
    expect(textOf(home.text)).toContain('Actions requises 1');
    expect(textOf(home.text)).toContain('Brouillon (sans numéro)');

    const edited = await submitForm(agent, `${LIST}/${ref}/modifier`, `${LIST}/${ref}/modifier`, {
      ...APPLICATION,
      description: 'Terrasse plus grande',
      action: 'draft',
    });
    expect(edited.headers.location).toBe(`${LIST}/${ref}`);
    expect((await runtime.db('applications').where({ id: draft.id }).first()).description).toBe(
      'Terrasse plus grande',
    );

    const submitted = await submitForm(agent, `${LIST}/${ref}`, `${LIST}/${ref}/soumettre`, {});
    const number = refFrom(submitted.headers.location);
    expect(number).toMatch(/^CON-/);
    expect((await runtime.db('applications').where({ id: draft.id }).first()).status).toBe('submitted');
    expect(textOf((await agent.get(HOME)).text)).toContain('Actions requises 0');
    // A submitted application is no longer a draft: its old reference and edit page are gone.
    expect((await agent.get(`${LIST}/${ref}`)).status).toBe(404);
    expect((await agent.get(`${LIST}/${number}/modifier`)).status).toBe(404);
  });

  it('saves a draft with only what was typed (still checked for format); Soumettre asks for the rest', async () => {
    const agent = visitor(app);
    await registeredUser(agent);
    // Only a street and a postal code, typed in lower case: saved as typed, normalised.
    const saved = await start(agent, {
      permitType: '',
      floorArea: '',
      streetNumber: '',
      streetName: 'rue Elgin',
      postalCode: 'k1p 5w1',
      description: '',
      action: 'draft',
    });
    expect(saved.status).toBe(303);
    const ref = refFrom(saved.headers.location);
    const id = Number(ref.slice(1));
    expect(await runtime.db('applications').where({ id }).first()).toMatchObject({
      status: 'draft',
      permit_type: null,
      street_number: null,
      street_name: 'rue Elgin',
      postal_code: 'K1P 5W1',
      description: null,
    });
    // The grid tells the drafts apart by their type and address, "À compléter" where there is none yet.
    const tab = textOf((await agent.get(LIST)).text);
    expect(tab).toContain('Type de permis');
    expect(tab).toMatch(/Brouillon \(sans numéro\) À compléter rue Elgin, Ottawa, ON/);

    // A wrong format is refused even in a draft, beside its field, the rest kept.
    const wrong = await start(agent, { streetNumber: 'abc', description: '', action: 'draft' });
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.text)).toContain('Entrez un numéro civique');
    expect(textOf(wrong.text)).not.toContain('Décrivez les travaux.');
    expect(wrong.text).toContain('value="LAURIER AVE OUEST/WEST"');

    // "Soumettre" from the draft's page: its form, each empty field named, nothing submitted.
    const early = await submitForm(agent, `${LIST}/${ref}`, `${LIST}/${ref}/soumettre`, {});
    expect(early.status).toBe(422);
    const text = textOf(early.text);
    for (const message of [
      'Choisissez le type de permis.',
      'Entrez le numéro civique.',
      'Décrivez les travaux.',
    ])
      expect(text).toContain(message);
    expect(early.text).toContain('value="rue Elgin"');
    expect((await runtime.db('applications').where({ id }).first()).status).toBe('draft');

    // Completed and submitted from its form: a file number, every field as typed then.
    const done = await submitForm(agent, `${LIST}/${ref}/modifier`, `${LIST}/${ref}/modifier`, {
      ...APPLICATION,
      streetNumber: '42',
      streetName: 'rue Elgin',
      postalCode: 'K1P 5W1',
      action: 'submit',
    });
    expect(refFrom(done.headers.location)).toMatch(/^CON-/);
    expect(await runtime.db('applications').where({ id }).first()).toMatchObject({
      status: 'submitted',
      permit_type: 'deck',
      street_number: '42',
    });
  });

  it('holds at the database that only a draft may be incomplete', async () => {
    const agent = visitor(app);
    await registeredUser(agent);
    const ref = refFrom((await start(agent, { description: '', action: 'draft' })).headers.location);
    await expect(
      runtime
        .db('applications')
        .where({ id: Number(ref.slice(1)) })
        .update({ status: 'submitted', number: 'CON-1999-000001' }),
    ).rejects.toThrow(/applications_complete_unless_draft/);
  });

  it('refuses an incomplete application beside each field and saves nothing', async () => {
    const agent = visitor(app);
    const { email } = await registeredUser(agent);
    const res = await start(agent, {
      permitType: 'castle',
      streetNumber: 'abc',
      postalCode: '',
      description: '',
    });
    expect(res.status).toBe(422);
    const text = textOf(res.text);
    expect(text).toContain('Choisissez le type de permis.');
    expect(text).toContain('Entrez un numéro civique');
    expect(text).toContain('Entrez le code postal.');
    expect(text).toContain('Décrivez les travaux.');
    expect(res.text).toContain('value="abc"');
    const user = await runtime.db('users').where({ email }).first();
    expect(await runtime.db('applications').where({ created_by: user.id })).toHaveLength(0);
  });
});

describe('who sees an application', () => {
  it('gives a stranger 404 for another person’s application, by number or draft reference, without a leak', async () => {
    const owner = visitor(app);
    await registeredUser(owner, { firstName: 'Secret', lastName: 'Owner' });
    const submitted = refFrom(
      (await start(owner, { description: 'Confidential basement plan' })).headers.location,
    );
    const draft = refFrom((await start(owner, { action: 'draft' })).headers.location);

    const stranger = visitor(app);
    await registeredUser(stranger);
    for (const path of [`${LIST}/${submitted}`, `${LIST}/${draft}`, `${LIST}/${draft}/modifier`]) {
      const res = await stranger.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain('Confidential basement plan');
      expect(res.text).not.toContain('Secret Owner');
    }
    const post = await submitForm(stranger, LIST, `${LIST}/${draft}/soumettre`, {});
    expect(post.status).toBe(404);
    expect(
      (
        await runtime
          .db('applications')
          .where({ id: Number(draft.slice(1)) })
          .first()
      ).status,
    ).toBe('draft');
    expect((await stranger.get(LIST)).text).not.toContain(submitted);
  });

  it('answers 404 for malformed references', async () => {
    const agent = visitor(app);
    await registeredUser(agent);
    for (const ref of ['CON-2024-1', 'X1', "B1'--", 'B99999999999999999999']) {
      expect((await agent.get(`${LIST}/${encodeURIComponent(ref)}`)).status, ref).toBe(404);
    }
  });

  it('shows an earlier client record’s applications only to the account linked to it', async () => {
    const linked = visitor(app);
    const { email } = await registeredUser(linked);
    const user = await runtime.db('users').where({ email }).first();
    const record = await createClientRecord(runtime.db, testPins, {
      name: 'Rénovations Gagnon',
      linkedUserId: user.id,
      applications: [
        {
          permitType: 'demolition',
          status: 'payment_due',
          streetNumber: '5',
          streetName: 'RUE X',
          description: 'Démolition',
          lastActivityAt: new Date(),
        },
      ],
    });
    const number = record.numbers[0]!;
    expect((await linked.get(`${LIST}/${number}`)).status).toBe(200);
    expect(textOf((await linked.get(HOME)).text)).toContain(number);
    const other = visitor(app);
    await registeredUser(other);
    expect((await other.get(`${LIST}/${number}`)).status).toBe(404);
  });
});

describe('file numbers', () => {
  it('gives 50 concurrent submissions 50 different numbers with no gap', async () => {
    const agent = visitor(app);
    const { email } = await registeredUser(agent);
    const user = await runtime.db('users').where({ email }).first();
    const service = runtime.services.applications;
    const by = { userId: user.id, name: 'Vivian Trainer' };
    const input = {
      ...APPLICATION,
      permitType: 'deck' as const,
      floorArea: 12_000,
      unit: null,
      postalCode: 'K1P 1J1',
      onBehalfOf: 'self',
      action: 'submit' as const,
    };
    const numbers = await Promise.all(Array.from({ length: 50 }, () => service.start(by, input)));
    expect(new Set(numbers).size).toBe(50);
    const values = numbers.map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
    expect(values.at(-1)! - values[0]!).toBe(49);
  });

  it('gives a number back when its submission fails, so the next one has no gap', async () => {
    const year = 2031;
    await runtime.db('application_counters').insert({ year, last_value: 0 }).onConflict('year').ignore();
    const { nextNumber } = await import('../../src/features/applications/queries');
    const before = (await runtime.db('application_counters').where({ year }).first()).last_value;
    await expect(
      runtime.db.transaction(async (tx) => {
        await nextNumber(tx, year);
        throw new Error('the insert failed');
      }),
    ).rejects.toThrow('the insert failed');
    const number = await runtime.db.transaction((tx) => nextNumber(tx, year));
    expect(number).toBe(`CON-${year}-${String(before + 1).padStart(6, '0')}`);
  });
});

describe('the Demandes grid', () => {
  it('filters by period and status, sorts by last activity, and pages by 10, 25 or 50 with counts', async () => {
    const agent = visitor(app);
    const { email } = await registeredUser(agent);
    const user = await runtime.db('users').where({ email }).first();
    const service = runtime.services.applications;
    const by = { userId: user.id, name: 'Grid Tester' };
    const input = {
      ...APPLICATION,
      permitType: 'house' as const,
      floorArea: 12_000,
      unit: null,
      postalCode: 'K1P 1J1',
      onBehalfOf: 'self',
      action: 'submit' as const,
    };
    const numbers: string[] = [];
    for (let i = 0; i < 27; i += 1) numbers.push(await service.start(by, input));
    // Spread the activity over time: the first is oldest; two are older than six months.
    for (const [i, number] of numbers.entries()) {
      await runtime
        .db('applications')
        .where({ number })
        .update({ last_activity_at: new Date(Date.now() - (27 - i) * 86_400_000) });
    }
    await runtime
      .db('applications')
      .whereIn('number', numbers.slice(0, 2))
      .update({ last_activity_at: new Date(Date.now() - 200 * 86_400_000) });
    await runtime.db('applications').where({ number: numbers[26] }).update({ status: 'in_review' });

    const first = await agent.get(LIST);
    expect(textOf(first.text)).toContain('1-10 de 25');
    const order = [...first.text.matchAll(/>(CON-\d{4}-\d{6})<\/a>/g)].map((m) => m[1]);
    expect(order).toEqual(numbers.slice(17).reverse());

    const third = await agent.get(`${LIST}?period=6m&status=all&size=10&page=3`);
    expect(textOf(third.text)).toContain('21-25 de 25');
    expect([...third.text.matchAll(/>(CON-\d{4}-\d{6})<\/a>/g)]).toHaveLength(5);
    expect(third.text).toContain('rel="prev"');
    expect(third.text).not.toContain('rel="next"');

    const all = await agent.get(`${LIST}?period=all&size=25`);
    expect(textOf(all.text)).toContain('1-25 de 27');
    const byStatus = await agent.get(`${LIST}?period=all&status=in_review`);
    expect(textOf(byStatus.text)).toContain('1-1 de 1');
    expect(byStatus.text).toContain(numbers[26]);
    // Odd values fall back to the defaults instead of failing.
    const odd = await agent.get(`${LIST}?period=forever&status=nope&size=7&page=-3`);
    expect(odd.status).toBe(200);
    expect(textOf(odd.text)).toContain('1-10 de 25');
  });
});
