import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submittedApplication } from '../support/applications';
import { visitor } from '../support/browser-like';

const portal = testPortal();
afterAll(() => portal.close());

/** The statements the portal sends PostgreSQL while `work` runs (the job queue's own left out). */
async function statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    if (!/graphile_worker/.test(text)) sent.push(text);
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    await work();
  } finally {
    pg.Client.prototype.query = query;
  }
  return sent;
}

describe("an application's page", () => {
  // Each statement is a round trip, and on this kind of machine each costs the portal more CPU than
  // rendering a section: who the person is to the application is read once, not once per button.
  it('reads who the person is to the application once, and its sections with it, in three round trips', async () => {
    const person = visitor(portal.app);
    await registeredUser(person);
    const number = await submittedApplication(person);
    const path = `/fr/services-code-batiment/demandes/${number}`;
    expect((await person.get(path)).status).toBe(200);
    const sent = await statementsDuring(async () => expect((await person.get(path)).status).toBe(200));
    // The session, the application with its history, then who the person is to it (for the withdrawal,
    // payment, document, inspection, contact and message buttons) with every section, in one round trip.
    expect(sent.length).toBeLessThanOrEqual(3);
  });
});
