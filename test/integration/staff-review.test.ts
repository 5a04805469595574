import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submittedApplication } from '../support/applications';
import { csrfFrom, textOf, uniqueEmail, visitor } from '../support/browser-like';
import { enrolledStaff, STAFF_PASSWORD } from '../support/staff';

const portal = testPortal();
const { app, runtime } = portal;
const db = runtime.db;
afterAll(() => portal.close());

async function staffMember() {
  const email = uniqueEmail('staff');
  await runtime.services.staff.create(email, `Agent ${email.slice(6, 12)}`, STAFF_PASSWORD);
  const agent = visitor(app);
  await enrolledStaff(agent, email);
  return agent;
}

describe('two staff members moving one application at once (J8)', () => {
  it('lets one win and tells the other, never a server error, with one move in the history', async () => {
    const [first, second] = [await staffMember(), await staffMember()];
    for (let round = 0; round < 5; round += 1) {
      const applicant = visitor(app);
      await registeredUser(applicant);
      const number = await submittedApplication(applicant);
      const path = `/fr/admin/demandes/${number}`;
      const [pageA, pageB] = [await first.get(path), await second.get(path)];
      expect(pageA.text).toContain('name="seen" value="submitted"');
      const [a, b] = await Promise.all([
        first
          .post(`${path}/actions/startReview`)
          .type('form')
          .send({ _csrf: csrfFrom(pageA.text), seen: 'submitted' }),
        second
          .post(`${path}/actions/close`)
          .type('form')
          .send({ _csrf: csrfFrom(pageB.text), seen: 'submitted', closeReason: 'Doublon' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([303, 409]);
      const loser = a.status === 409 ? a : b;
      expect(textOf(loser.text)).toContain(
        'Un autre membre du personnel vient de changer le statut de cette demande.',
      );
      const application = await db('applications').where({ number }).first();
      expect(application.status).toBe(a.status === 303 ? 'in_review' : 'closed');
      const moves = await db('application_events')
        .where({ application_id: application.id })
        .whereIn('event', ['review_started', 'status_changed']);
      expect(moves).toHaveLength(1);
    }
  });
});
