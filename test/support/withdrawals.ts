import type { Express } from 'express';
import { expect } from 'vitest';
import type { Db } from '../../src/db/knex';
import { registeredUser } from './accounts';
import { applicationsBase, submittedApplication } from './applications';
import { submitForm, visitor } from './browser-like';

/** An applicant with a submitted application and a pending withdrawal request; returns the request id. */
export async function submittedWithdrawal(app: Express, db: Db, lang: 'fr' | 'en' = 'fr') {
  const agent = visitor(app);
  const { email } = await registeredUser(agent, { lang });
  const base = applicationsBase(lang);
  const number = await submittedApplication(agent, lang);
  const path = `${base}/${number}/${lang === 'fr' ? 'retirer' : 'withdraw'}`;
  expect((await submitForm(agent, path, path, { comment: 'Projet abandonné' })).status).toBe(303);
  const application = await db('applications').where({ number }).first();
  const request = await db('withdrawal_requests')
    .where({ application_id: application.id, status: 'pending' })
    .first();
  return {
    agent,
    email,
    number,
    base,
    requestId: request.id as number,
    applicationId: application.id as number,
  };
}
