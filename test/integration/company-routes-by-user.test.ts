import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/domain/company-permissions';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { csrfFrom, submitForm, visitor, type Visitor } from '../support/browser-like';
import { ASSOCIATE, bulk, COMPANY_TAB, companyPath, createdCompany, membersPath } from '../support/companies';

const portal = testPortal({ rateLimitScale: 10 });
const { app, runtime } = portal;
afterAll(() => portal.close());

const COMPANY_NAME = 'Confidential Contractors Ltd';

type Who = 'anonymous' | 'stranger' | 'member' | `member+${(typeof PERMISSIONS)[number]}` | 'manager';
const people = new Map<Who, Visitor>();
let companyId = 0;
let pin = '';

beforeAll(async () => {
  const manager = visitor(app);
  await registeredUser(manager);
  ({ id: companyId, pin } = await createdCompany(manager, COMPANY_NAME));
  people.set('manager', manager);
  people.set('anonymous', visitor(app));
  const stranger = visitor(app);
  await registeredUser(stranger);
  people.set('stranger', stranger);
  for (const permission of [undefined, ...PERMISSIONS.filter((p) => p !== 'manage')]) {
    const member = visitor(app);
    const { email } = await registeredUser(member);
    await submitForm(member, COMPANY_TAB, ASSOCIATE, { pin });
    if (permission) {
      const id = (await runtime.db('users').where({ email }).first()).id;
      await bulk(manager, companyId, `grant_${permission}`, [id]);
    }
    people.set(permission ? `member+${permission}` : 'member', member);
  }
}, 120_000);

/** Every company route, and what each kind of user gets: a page, a redirect to sign in, 403 or 404. */
const routes: {
  label: string;
  method: 'get' | 'post';
  path: () => string;
  body?: Record<string, string>;
  allowed: 'member' | 'payer' | 'manager';
}[] = [
  { label: 'Détails', method: 'get', path: () => companyPath(companyId), allowed: 'member' },
  {
    label: 'save Détails',
    method: 'post',
    path: () => companyPath(companyId),
    body: { legalName: 'Renamed', phone: '6135802400' },
    allowed: 'manager',
  },
  { label: 'Comptes associés', method: 'get', path: () => membersPath(companyId), allowed: 'manager' },
  {
    label: 'bulk action',
    method: 'post',
    path: () => membersPath(companyId),
    body: { action: 'grant_pay', members: '0' },
    allowed: 'manager',
  },
  {
    label: 'save the permission grid',
    method: 'post',
    path: () => membersPath(companyId),
    body: { action: 'save', row: '0', cell: '0:pay' },
    allowed: 'manager',
  },
  {
    label: 'new PIN',
    method: 'post',
    path: () => `${companyPath(companyId)}/nouveau-nip`,
    body: { confirm: 'yes' },
    allowed: 'manager',
  },
  { label: 'history', method: 'get', path: () => `${companyPath(companyId)}/historique`, allowed: 'manager' },
  {
    label: 'Droits et paiements',
    method: 'get',
    path: () => `${companyPath(companyId)}/droits-et-paiements`,
    allowed: 'payer',
  },
  {
    label: 'Informations bancaires',
    method: 'get',
    path: () => `${companyPath(companyId)}/informations-bancaires`,
    allowed: 'payer',
  },
  {
    label: 'save Informations bancaires',
    method: 'post',
    path: () => `${companyPath(companyId)}/informations-bancaires`,
    body: { institution: '001', transit: '12345', account: '1234567' },
    allowed: 'payer',
  },
];

function expected(who: Who, allowed: 'member' | 'payer' | 'manager', method: 'get' | 'post'): number {
  if (who === 'anonymous') return 303;
  if (who === 'stranger') return 404;
  // A POST that does its work: a redirect after success, or the form again when refused (0 below).
  const works = method === 'post' && allowed !== 'member' ? 0 : 200;
  if (who === 'manager') return works;
  if (allowed === 'payer') return who === 'member+pay' ? works : 403;
  return allowed === 'member' ? 200 : 403;
}

describe('company routes × users', () => {
  const kinds: Who[] = [
    'anonymous',
    'stranger',
    'member',
    ...PERMISSIONS.filter((p) => p !== 'manage').map((p) => `member+${p}` as Who),
    'manager',
  ];

  for (const route of routes) {
    for (const who of kinds) {
      it(`${route.method.toUpperCase()} ${route.label} as ${who}`, async () => {
        const agent = people.get(who)!;
        const tokenPage = await agent.get(who === 'anonymous' ? '/fr/connexion' : COMPANY_TAB);
        const token = csrfFrom(tokenPage.text);
        const res =
          route.method === 'get'
            ? await agent.get(route.path())
            : await agent
                .post(route.path())
                .type('form')
                .send({ _csrf: token, ...route.body });
        const want = expected(who, route.allowed, route.method);
        if (want === 0) {
          // A manager's POST does its work: a redirect after success, or the form again when refused.
          expect([303, 409, 422]).toContain(res.status);
        } else {
          expect(res.status).toBe(want);
        }
        if (res.status === 403 || res.status === 404 || res.status === 303) {
          expect(res.text).not.toContain(COMPANY_NAME);
          expect(res.text).not.toContain(pin);
        }
      });
    }
  }

  it('shows the PIN to managers only', async () => {
    const page = (await people.get('manager')!.get(membersPath(companyId))).text;
    const current = /<strong>([A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3})<\/strong>/.exec(page)![1]!;
    for (const who of ['member', 'member+submit', 'member+pay'] as const) {
      expect((await people.get(who)!.get(companyPath(companyId))).text).not.toContain(current);
    }
  });

  it('leaves the company with its manager, its name and its people after all that', async () => {
    expect(
      await runtime.db('company_members').where({ company_id: companyId, can_manage: true }),
    ).toHaveLength(1);
  });
});
