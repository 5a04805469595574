import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { earliestInspectionDay } from '../../src/domain/inspections';
import { testPortal } from '../support/app';
import { submittedApplication } from '../support/applications';
import { csrfFrom, textOf, visitor, type Visitor } from '../support/browser-like';
import { peopleAroundCompany } from '../support/companies';
import { staffAct, STAFF_PASSWORD } from '../support/staff';

const portal = testPortal({ rateLimitScale: 10 });
const { app, runtime } = portal;
const db = runtime.db;
afterAll(() => portal.close());

/** A company's issued deck permit; every J10 inspection route tried by each person. */
type Who =
  | 'anonymous'
  | 'stranger'
  | 'member'
  | 'member+pay'
  | 'member+inspect'
  | 'manager'
  | 'staff'
  | 'staff without MFA';
const people = new Map<Who, Visitor>();
let number = '';
let applicationId = 0;
let inspectionId = 0;

const HOME = '/fr/services-code-batiment';
const requestPage = () => `${HOME}/demandes/${number}/inspections/nouvelle`;
const startPage = `${HOME}/demande-d-inspection`;

beforeAll(async () => {
  const around = await peopleAroundCompany(app, runtime, 'Inspections Orléans', [
    ['member', {}],
    ['member+pay', { can_pay: true }],
    ['member+inspect', { can_inspect: true }],
  ] as const);
  for (const [who, agent] of around.people) people.set(who, agent);
  // A staff member who gave the password but not yet the second factor.
  const halfway = visitor(app);
  const email = `halfway-${Date.now()}@example.com`;
  await runtime.services.staff.create(email, 'Moitié Chemin', STAFF_PASSWORD);
  const signIn = await halfway.get('/fr/admin/connexion');
  await halfway
    .post('/fr/admin/connexion')
    .type('form')
    .send({ _csrf: csrfFrom(signIn.text), email, password: STAFF_PASSWORD });
  people.set('staff without MFA', halfway);

  const manager = people.get('manager')!;
  number = await submittedApplication(manager, 'fr', {
    permitType: 'deck',
    onBehalfOf: String(around.companyId),
  });
  const staff = people.get('staff')!;
  expect((await staffAct(staff, number, 'startReview')).status).toBe(303);
  expect((await staffAct(staff, number, 'issue')).status).toBe(303);
  applicationId = (await db('applications').where({ number }).first('id')).id;
  [{ id: inspectionId }] = await db('inspections')
    .insert({
      application_id: applicationId,
      stage: 'final',
      preferred_on: earliestInspectionDay(new Date()),
      contact_phone: '6135802400',
      requested_by_name: 'Demandeur',
    })
    .returning('id');
}, 120_000);

const TOKEN_PAGES: Partial<Record<Who, string>> = {
  anonymous: '/fr/connexion',
  staff: '/fr/admin',
  'staff without MFA': '/fr/admin/double-authentification',
};
/** A page of the portal this person may open, for its form token. */
const tokenPage = (who: Who) => TOKEN_PAGES[who] ?? '/fr/tableau-de-bord';

type Outcome = 'page' | 'signIn' | 'enrol' | 'hidden' | 'refused' | 'done';
function outcomeOf(res: { status: number; headers: Record<string, string> }): Outcome {
  if (res.status === 200) return 'page';
  if (res.status === 404) return 'hidden';
  if (res.status === 303) {
    const to = res.headers.location!;
    if (to.includes('/double-authentification')) return 'enrol';
    return to.includes('/connexion') ? 'signIn' : 'done';
  }
  return 'refused';
}

/** Asking for an inspection: its applicant's side with Inspection (or Gérer); readers are refused. */
const ASKS: Record<Who, Outcome> = {
  anonymous: 'signIn',
  stranger: 'hidden',
  member: 'hidden',
  'member+pay': 'refused',
  'member+inspect': 'page',
  manager: 'page',
  // Staff work the admin pages; a staff account may not act as a client.
  staff: 'refused',
  'staff without MFA': 'refused',
};
/** Staff's queue and forms: staff who proved their second factor, nobody else. */
const STAFF_ONLY: Record<Who, Outcome> = {
  anonymous: 'signIn',
  stranger: 'hidden',
  member: 'hidden',
  'member+pay': 'hidden',
  'member+inspect': 'hidden',
  manager: 'hidden',
  staff: 'page',
  'staff without MFA': 'enrol',
};

const inspections = () =>
  db('inspections').where({ application_id: applicationId }).orderBy('id').select('id', 'stage', 'status');

describe('J10 inspection routes, by person', () => {
  it('GET the request form, the permit choice, the application page, the staff queue', async () => {
    for (const [who, known] of people) {
      const agent = who === 'anonymous' ? visitor(app) : known;
      expect(outcomeOf(await agent.get(requestPage())), `${who} request form`).toBe(ASKS[who]);
      expect(outcomeOf(await agent.get('/fr/admin/inspections')), `${who} staff queue`).toBe(STAFF_ONLY[who]);
      const start = await agent.get(startPage);
      const mayAsk = ASKS[who] === 'page';
      // Everyone registered may open the choice; it lists only the permits they may ask for.
      expect(outcomeOf(start), `${who} permit choice`).toBe(
        who === 'anonymous' ? 'signIn' : who.startsWith('staff') ? 'refused' : 'page',
      );
      expect(start.text.includes(`inspections/nouvelle`), `${who} offered the permit`).toBe(mayAsk);
      // The application page: those who see it see its inspections; the button only for those who may ask.
      const page = await agent.get(`${HOME}/demandes/${number}`);
      if (page.status !== 200) continue;
      expect(textOf(page.text), who).toContain('Finale');
      expect(page.text.includes(requestPage()), `${who} offered the button`).toBe(mayAsk);
    }
  });

  it('POST a request: stored for the applicant’s side with Inspection, nothing for anyone else', async () => {
    const stages: Partial<Record<Who, string>> = { 'member+inspect': 'footings', manager: 'framing' };
    for (const [who, known] of people) {
      const agent = who === 'anonymous' ? visitor(app) : known;
      const token = csrfFrom((await agent.get(tokenPage(who))).text);
      const before = (await inspections()).length;
      const res = await agent
        .post(requestPage())
        .type('form')
        .send({
          _csrf: token,
          stage: stages[who] ?? 'framing',
          preferredOn: earliestInspectionDay(new Date()),
          contactPhone: '613-580-2424',
        });
      const expected = ASKS[who] === 'page' ? 'done' : ASKS[who];
      expect(outcomeOf(res), who).toBe(expected);
      expect((await inspections()).length - before, `${who} stored`).toBe(expected === 'done' ? 1 : 0);
    }
  });

  it('POST staff’s schedule, result and cancel: staff alone; nobody else changes the inspection', async () => {
    const day = earliestInspectionDay(new Date());
    const forms: [string, Record<string, string>][] = [
      ['schedule', { day, window: 'morning', inspector: 'Intrus' }],
      ['result', { outcome: 'failed', resultNotes: 'Intrus' }],
      ['cancel', { cancelReason: 'Intrus' }],
    ];
    for (const [action, fields] of forms)
      for (const [who, known] of people) {
        if (who === 'staff') continue;
        const agent = who === 'anonymous' ? visitor(app) : known;
        const token = csrfFrom((await agent.get(tokenPage(who))).text);
        const res = await agent
          .post(`/fr/admin/demandes/${number}/inspections/${inspectionId}/${action}`)
          .type('form')
          .send({ _csrf: token, ...fields });
        expect(outcomeOf(res), `${who} ${action}`).toBe(STAFF_ONLY[who]);
        expect(await db('inspections').where({ id: inspectionId }).first('status', 'inspector_name')).toEqual(
          {
            status: 'requested',
            inspector_name: null,
          },
        );
      }
    // Staff may: the same form schedules it.
    const staff = people.get('staff')!;
    const page = await staff.get(`/fr/admin/demandes/${number}`);
    const res = await staff
      .post(`/fr/admin/demandes/${number}/inspections/${inspectionId}/schedule`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), day, window: 'morning', inspector: 'J. Roy' });
    expect(outcomeOf(res)).toBe('done');
    expect(await db('inspections').where({ id: inspectionId }).first('status', 'inspector_name')).toEqual({
      status: 'scheduled',
      inspector_name: 'J. Roy',
    });
    // Another application's number with this inspection's id: not found, nothing changed.
    const other = await db('applications')
      .whereNot({ id: applicationId })
      .whereNotNull('number')
      .first('number');
    const elsewhere = await staff
      .post(`/fr/admin/demandes/${other.number}/inspections/${inspectionId}/cancel`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), cancelReason: 'x' });
    expect(elsewhere.status).toBe(404);
    expect((await db('inspections').where({ id: inspectionId }).first()).status).toBe('scheduled');
  });
});
