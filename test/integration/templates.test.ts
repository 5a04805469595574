import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPortal } from '../support/app';
import { csrfFrom, submitForm, textOf, visitor, type Visitor } from '../support/browser-like';
import { companyPath, peopleAroundCompany } from '../support/companies';

const portal = testPortal({ rateLimitScale: 10 });
const { app, runtime } = portal;
const db = runtime.db;
afterAll(() => portal.close());

type Who = 'anonymous' | 'stranger' | 'member' | 'member+submit' | 'member+templates' | 'manager' | 'staff';
const people = new Map<Who, Visitor>();
let companyId = 0;
const tab = () => `${companyPath(companyId)}/modeles`;
const DECK = {
  name: 'Terrasse standard',
  permitType: 'deck',
  description: 'Terrasse en bois traité de 3 m sur 4 m, cour arrière.',
  notes: 'Joindre le plan d’implantation.',
};

beforeAll(async () => {
  const around = await peopleAroundCompany(app, runtime, 'Terrasses Gatineau', [
    ['member', {}],
    ['member+submit', { can_submit: true }],
    ['member+templates', { can_manage_templates: true }],
  ] as const);
  for (const [who, agent] of around.people) people.set(who, agent);
  companyId = around.companyId;
}, 120_000);

async function templates() {
  return db('application_templates').where({ company_id: companyId }).orderBy('id');
}

describe('J11: a company’s templates', () => {
  it('are created, renamed and deleted (after a confirmation) with Gérer les modèles', async () => {
    const writer = people.get('member+templates')!;
    const created = await submitForm(writer, `${tab()}/nouveau`, `${tab()}/nouveau`, DECK);
    expect(created.status).toBe(303);
    const [row] = await templates();
    expect(row).toMatchObject({ name: DECK.name, permit_type: 'deck', notes: DECK.notes });
    expect(textOf((await writer.get(created.headers.location!)).text)).toContain(
      'Le modèle « Terrasse standard » a été enregistré.',
    );

    // A second of the same name, whatever its case, is refused beside the name, values kept.
    const twice = await submitForm(writer, `${tab()}/nouveau`, `${tab()}/nouveau`, {
      ...DECK,
      name: 'TERRASSE STANDARD',
    });
    expect(twice.status).toBe(422);
    expect(textOf(twice.text)).toContain('Votre entreprise a déjà un modèle de ce nom.');
    expect(twice.text).toContain('value="TERRASSE STANDARD"');
    expect(await templates()).toHaveLength(1);

    const renamed = await submitForm(writer, `${tab()}/${row.id}`, `${tab()}/${row.id}`, {
      ...DECK,
      name: 'Terrasse standard, cour arrière',
    });
    expect(renamed.status).toBe(303);
    expect((await templates())[0].name).toBe('Terrasse standard, cour arrière');

    // Deleting asks first; the question names the template; nothing is deleted by opening it.
    const ask = await writer.get(`${tab()}/${row.id}/supprimer`);
    expect(textOf(ask.text)).toContain(
      'Voulez-vous vraiment supprimer le modèle « Terrasse standard, cour arrière »?',
    );
    expect(await templates()).toHaveLength(1);
    const deleted = await submitForm(
      writer,
      `${tab()}/${row.id}/supprimer`,
      `${tab()}/${row.id}/supprimer`,
      {},
    );
    expect(deleted.status).toBe(303);
    expect(await templates()).toHaveLength(0);
  });

  it('start an application with Faire une demande: the form filled, the company as applicant, the notes shown', async () => {
    const writer = people.get('member+templates')!;
    await submitForm(writer, `${tab()}/nouveau`, `${tab()}/nouveau`, { ...DECK, name: 'Terrasse à partir' });
    const template = (await templates()).find((t) => t.name === 'Terrasse à partir')!;
    const submitter = people.get('member+submit')!;
    const list = await submitter.get(tab());
    const start = `/fr/services-code-batiment/demandes/nouvelle?template=${template.id}`;
    expect(list.text).toContain(`href="${start}"`);
    // A reader cannot change them: no button, and the form is refused.
    expect(list.text).not.toContain(`${tab()}/${template.id}/supprimer`);

    const form = await submitter.get(start);
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/<option value="deck" selected>/);
    expect(form.text).toContain(DECK.description);
    expect(form.text).toMatch(new RegExp(`value="${companyId}"[^>]*checked`));
    expect(textOf(form.text)).toContain('Joindre le plan d’implantation.');
    expect(textOf(form.text)).toContain(
      'Demande commencée à partir du modèle « Terrasse à partir » de Terrasses Gatineau.',
    );
    // Someone who may not submit for the company cannot open it (nor guess another company's).
    expect((await people.get('member+templates')!.get(start)).status).toBe(404);
    expect((await people.get('stranger')!.get(start)).status).toBe(404);
  });
});

describe('J11 template routes, by person', () => {
  let id = 0;
  beforeAll(async () => {
    await submitForm(people.get('manager')!, `${tab()}/nouveau`, `${tab()}/nouveau`, {
      ...DECK,
      name: 'Par personne',
    });
    id = (await templates()).find((t) => t.name === 'Par personne')!.id;
  });

  type Outcome = 'page' | 'signIn' | 'hidden' | 'refused' | 'done';
  const outcome = (res: { status: number; headers: Record<string, string> }): Outcome =>
    res.status === 200
      ? 'page'
      : res.status === 404
        ? 'hidden'
        : res.status === 303
          ? res.headers.location!.includes('/connexion') || res.headers.location!.includes('/admin')
            ? 'signIn'
            : 'done'
          : 'refused';
  const base = { anonymous: 'signIn', stranger: 'hidden', staff: 'refused' } as const;
  const READS: Record<Who, Outcome> = {
    ...base,
    member: 'refused',
    'member+submit': 'page',
    'member+templates': 'page',
    manager: 'page',
  };
  const WRITE_PAGES: Record<Who, Outcome> = { ...READS, 'member+submit': 'refused' };
  const WRITES: Record<Who, Outcome> = {
    ...WRITE_PAGES,
    'member+templates': 'done',
    manager: 'done',
  };

  it('GET the tab, the new form, the edit form and the delete question', async () => {
    for (const [path, expected] of [
      [() => tab(), READS],
      [() => `${tab()}/nouveau`, WRITE_PAGES],
      [() => `${tab()}/${id}`, WRITE_PAGES],
      [() => `${tab()}/${id}/supprimer`, WRITE_PAGES],
    ] as const) {
      for (const [who, known] of people) {
        const agent = who === 'anonymous' ? visitor(app) : known;
        expect(outcome(await agent.get(path())), `${who} ${path()}`).toBe(expected[who]);
      }
    }
  });

  it('POST a change: only with Gérer les modèles; nothing changed otherwise', async () => {
    for (const [who, known] of people) {
      const agent = who === 'anonymous' ? visitor(app) : known;
      const token = csrfFrom(
        (
          await agent.get(
            who === 'staff' ? '/fr/admin' : who === 'anonymous' ? '/fr/connexion' : '/fr/tableau-de-bord',
          )
        ).text,
      );
      const res = await agent
        .post(`${tab()}/${id}`)
        .type('form')
        .send({ _csrf: token, ...DECK, name: `Par ${who}` });
      expect(outcome(res), who).toBe(WRITES[who]);
      const name = (await db('application_templates').where({ id }).first()).name;
      expect(name === `Par ${who}`, `${who} changed it`).toBe(WRITES[who] === 'done');
    }
  });
});
