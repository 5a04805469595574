import { generate } from 'otplib';
import { expect } from 'vitest';
import type { Express } from 'express';
import type { Runtime } from '../../src/services';
import { csrfFrom, textOf, uniqueEmail, visitor, type Visitor } from './browser-like';

export const STAFF_PASSWORD = 'rideau canal skating season';

/** The TOTP code an authenticator app would show now (or `stepsAhead` periods later). */
export function totp(secret: string, stepsAhead = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30 });
}

/** The staff sign-in form sent with the password, and a code when one is given. */
export async function staffSignIn(agent: Visitor, email: string, code?: string) {
  const page = await agent.get('/fr/admin/connexion');
  return agent
    .post('/fr/admin/connexion')
    .type('form')
    .send({
      _csrf: csrfFrom(page.text),
      email,
      password: STAFF_PASSWORD,
      ...(code === undefined ? {} : { code }),
    });
}

/** First sign-in of a staff account: password, then enrolment with a code from the secret on the page. */
export async function enrolledStaff(agent: Visitor, email: string): Promise<string> {
  const res = await staffSignIn(agent, email);
  expect(res.headers.location).toBe('/fr/admin/double-authentification');
  const enrol = await agent.get(res.headers.location!);
  const secret = /class="secret">([A-Z2-7]+)</.exec(enrol.text)![1]!;
  const done = await agent
    .post('/fr/admin/double-authentification')
    .type('form')
    .send({ _csrf: csrfFrom(enrol.text), code: await totp(secret) });
  expect(done.headers.location).toBe('/fr/admin');
  expect(textOf((await agent.get('/fr/admin')).text)).toContain('Administration');
  return secret;
}

/** A new staff member, signed in with the second factor, on their own browser. */
export async function signedInStaff(
  app: Express,
  runtime: Runtime,
  name = 'Agent',
): Promise<{ agent: Visitor; email: string; id: number }> {
  const email = uniqueEmail('staff');
  const id = await runtime.services.staff.create(email, name, STAFF_PASSWORD);
  const agent = visitor(app);
  await enrolledStaff(agent, email);
  return { agent, email, id };
}

/** A staff action on an application, sent from its admin page as the form does (with the status shown). */
export async function staffAct(
  staff: Visitor,
  number: string,
  action: string,
  fields: Record<string, string> = {},
) {
  const path = `/fr/admin/demandes/${number}`;
  const page = await staff.get(path);
  const seen = /name="seen" value="([a-z_]+)"/.exec(page.text)?.[1] ?? '';
  return staff
    .post(`${path}/actions/${action}`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), seen, ...fields });
}
