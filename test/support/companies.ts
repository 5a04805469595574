import { expect } from 'vitest';
import type { Express } from 'express';
import type { Db } from '../../src/db/knex';
import { registeredUser } from './accounts';
import { submitForm, textOf, visitor, type Visitor } from './browser-like';
import { signedInStaff } from './staff';
import type { Runtime } from '../../src/services';

export const COMPANY_TAB = '/fr/services-code-batiment/professionnels-entrepreneurs';
export const NEW_COMPANY = `${COMPANY_TAB}/nouveau`;
export const ASSOCIATE = `${COMPANY_TAB}/associer`;
export const companyPath = (id: number | string) => `/fr/services-code-batiment/entreprises/${id}`;
export const membersPath = (id: number | string) => `${companyPath(id)}/comptes-associes`;

/** Registers a company through the form; the visitor becomes its manager. Returns its id and PIN. */
export async function createdCompany(
  agent: Visitor,
  legalName = 'LMS Architects',
): Promise<{ id: number; pin: string }> {
  const res = await submitForm(agent, NEW_COMPANY, NEW_COMPANY, {
    legalName,
    phone: '613-580-2400',
    province: 'ON',
  });
  expect(res.status).toBe(303);
  const id = Number(/entreprises\/(\d+)\//.exec(res.headers.location!)![1]);
  const page = await agent.get(membersPath(id));
  const pin = /NIP : ([A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3})/.exec(textOf(page.text))![1]!;
  return { id, pin };
}

/**
 * The user ids ticked and the button pressed on Comptes associés; "Supprimer le compte" answered "yes" on
 * its confirmation page unless `confirm` is false.
 */
export async function bulk(
  agent: Visitor,
  companyId: number,
  action: string,
  userIds: number[],
  confirm = true,
) {
  const page = await agent.get(membersPath(companyId));
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  const body = [
    `_csrf=${token}`,
    `action=${action}`,
    ...userIds.map((id) => `members=${id}`),
    ...(confirm ? ['confirm=yes'] : []),
  ].join('&');
  return agent.post(membersPath(companyId)).type('form').send(body);
}

/** A registered person made a member of the company with these permission columns (as a manager would). */
export async function companyMember(
  app: Express,
  db: Db,
  companyId: number,
  columns: Record<string, boolean>,
): Promise<{ agent: Visitor; email: string }> {
  const agent = visitor(app);
  const { email } = await registeredUser(agent);
  const user = await db('users').where({ email }).first();
  await db('company_members').insert({ company_id: companyId, user_id: user.id, ...columns });
  return { agent, email };
}

/**
 * The people a route-by-person test tries: someone signed out, a registered stranger, the company's
 * manager, a staff member, and members of the company with the permission columns named.
 */
export async function peopleAroundCompany<Member extends string>(
  app: Express,
  runtime: Runtime,
  legalName: string,
  members: readonly (readonly [Member, Record<string, boolean>])[],
): Promise<{
  people: Map<'anonymous' | 'stranger' | 'manager' | 'staff' | Member, Visitor>;
  companyId: number;
}> {
  const people = new Map<'anonymous' | 'stranger' | 'manager' | 'staff' | Member, Visitor>();
  const manager = visitor(app);
  await registeredUser(manager);
  const company = await createdCompany(manager, legalName);
  people.set('manager', manager);
  people.set('anonymous', visitor(app));
  const stranger = visitor(app);
  await registeredUser(stranger);
  people.set('stranger', stranger);
  for (const [who, columns] of members)
    people.set(who, (await companyMember(app, runtime.db, company.id, columns)).agent);
  people.set('staff', (await signedInStaff(app, runtime)).agent);
  return { people, companyId: company.id };
}
