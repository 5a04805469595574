import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPortal } from '../support/app';
import { submittedApplication } from '../support/applications';
import { csrfFrom, submitForm, textOf, visitor, type Visitor } from '../support/browser-like';
import { peopleAroundCompany } from '../support/companies';
import { staffAct } from '../support/staff';

const portal = testPortal({ rateLimitScale: 10 });
const { app, runtime } = portal;
const db = runtime.db;
afterAll(() => portal.close());

/**
 * A company's application, waiting for information and with a permit issued on another; every J8 route
 * of the applicant's side, tried by each kind of person.
 */
type Who = 'anonymous' | 'stranger' | 'member' | 'member+pay' | 'member+submit' | 'manager' | 'staff';
const people = new Map<Who, Visitor>();
let waiting = '';
let issued = '';
let deficiencyId = 0;

beforeAll(async () => {
  const around = await peopleAroundCompany(app, runtime, 'Charpentes Rideau', [
    ['member', {}],
    ['member+pay', { can_pay: true }],
    ['member+submit', { can_submit: true }],
  ] as const);
  for (const [who, agent] of around.people) people.set(who, agent);
  const manager = people.get('manager')!;
  const staff = people.get('staff')!;
  const company = { id: around.companyId };
  const act = async (number: string, action: string, fields: Record<string, string> = {}) =>
    expect((await staffAct(staff, number, action, fields)).status).toBe(303);
  waiting = await submittedApplication(manager, 'fr', { onBehalfOf: String(company.id) });
  await act(waiting, 'startReview');
  await act(waiting, 'requestInformation', { deficiencies: 'Plan' });
  deficiencyId = (
    await db('deficiencies')
      .join('applications', 'applications.id', 'deficiencies.application_id')
      .where('applications.number', waiting)
      .first('deficiencies.id')
  ).id;
  issued = await submittedApplication(manager, 'fr', { onBehalfOf: String(company.id) });
  await act(issued, 'startReview');
  await act(issued, 'issue');
}, 120_000);

const base = '/fr/services-code-batiment/demandes';

/** Messages on this test's applications (other test files write messages at the same time). */
function messagesOnTheseApplications() {
  return db('application_messages as m')
    .join('applications as a', 'a.id', 'm.application_id')
    .whereIn('a.number', [waiting, issued])
    .count<{ n: string }>('* as n')
    .first();
}

/** A page of the portal this person may open, for its form token. */
const tokenPage = (who: Who) =>
  who === 'staff' ? '/fr/admin' : who === 'anonymous' ? '/fr/connexion' : '/fr/tableau-de-bord';

/** What each person gets: 'page' (200), 'signIn' (303 to the sign-in), 'hidden' (404), or 'refused'. */
type Outcome = 'page' | 'signIn' | 'hidden' | 'refused' | 'done';
const SEES: Record<Who, Outcome> = {
  anonymous: 'signIn',
  stranger: 'hidden',
  // A member with no permission sees the company's name, not its applications.
  member: 'hidden',
  'member+pay': 'page',
  'member+submit': 'page',
  manager: 'page',
  // Staff work the admin pages; a staff account may not act as a client (403).
  staff: 'refused',
};
/** Writing: only the applicant's side (Faire une demande, or Gérer); a reader is told, nothing stored. */
const WRITES: Record<Who, Outcome> = {
  ...SEES,
  'member+pay': 'refused',
  'member+submit': 'done',
  manager: 'done',
};

async function outcomeOf(
  res: { status: number; headers: Record<string, string> },
  agent: Visitor,
): Promise<Outcome> {
  if (res.status === 200) return 'page';
  if (res.status === 404) return 'hidden';
  if (res.status === 303) {
    const to = res.headers.location!;
    if (to.includes('/connexion') || to.includes('/admin') || to.includes('/inscription')) return 'signIn';
    const page = textOf((await agent.get(to)).text);
    return page.includes('Vous ne pouvez pas écrire sur cette demande.') ? 'refused' : 'done';
  }
  return 'refused';
}

describe('J8 routes of the applicant’s side, by person', () => {
  const routes: {
    label: string;
    method: 'get' | 'post';
    path: () => string;
    expected: Record<Who, Outcome>;
  }[] = [
    { label: 'application page', method: 'get', path: () => `${base}/${waiting}`, expected: SEES },
    {
      label: 'reply page',
      method: 'get',
      path: () => `${base}/${waiting}/renseignements/${deficiencyId}/repondre`,
      expected: SEES,
    },
    { label: 'permit PDF', method: 'get', path: () => `${base}/${issued}/permis.pdf`, expected: SEES },
    { label: 'send a message', method: 'post', path: () => `${base}/${waiting}/messages`, expected: WRITES },
  ];

  for (const route of routes) {
    it(`${route.method.toUpperCase()} ${route.label}`, async () => {
      for (const [who, known] of people) {
        // Each anonymous try on a browser of its own (an earlier redirect to sign in keeps its address).
        const agent = who === 'anonymous' ? visitor(app) : known;
        const path = route.path();
        const before = await messagesOnTheseApplications();
        // The token first: a request takes the browser's cookies when it is made.
        const token = csrfFrom((await agent.get(tokenPage(who))).text);
        const res =
          route.method === 'get'
            ? await agent.get(path)
            : await agent
                .post(path)
                .type('form')
                .send({ _csrf: token, body: `de ${who}` });
        expect(await outcomeOf(res, agent), `${who} ${route.label}`).toBe(route.expected[who]);
        const after = await messagesOnTheseApplications();
        expect(Number(after!.n) - Number(before!.n), `${who} ${route.label} stored`).toBe(
          route.method === 'post' && route.expected[who] === 'done' ? 1 : 0,
        );
      }
    });
  }

  it('POST a reply: the applicant’s side answers; a reader, a stranger or staff cannot', async () => {
    const path = `${base}/${waiting}/renseignements/${deficiencyId}/repondre`;
    for (const who of ['anonymous', 'stranger', 'member', 'member+pay', 'staff'] as const) {
      const agent = who === 'anonymous' ? visitor(app) : people.get(who)!;
      const res = await submitForm(agent, tokenPage(who), path, { body: 'x' });
      expect(await outcomeOf(res, agent), who).toBe(WRITES[who]);
      expect((await db('deficiencies').where({ id: deficiencyId }).first()).answered_at, who).toBeNull();
    }
    const res = await submitForm(people.get('member+submit')!, path, path, { body: 'Plan joint' });
    expect(res.status).toBe(303);
    expect((await db('deficiencies').where({ id: deficiencyId }).first()).answered_at).not.toBeNull();
  });
});
