import { afterAll, describe, expect, it } from 'vitest';
import { businessDaysBetween, cityDay } from '../../src/domain/business-days';
import { formatDate } from '../../src/domain/formatting';
import { decisionDue } from '../../src/domain/review-clock';
import { testPortal } from '../support/app';
import { textOf, uniqueEmail, visitor } from '../support/browser-like';
import { enrolledStaff, STAFF_PASSWORD } from '../support/staff';
import { submittedWithdrawal } from '../support/withdrawals';

const portal = testPortal();
const { app, runtime } = portal;
const db = runtime.db;
afterAll(() => portal.close());

const shown = (day: string, lang: 'fr' | 'en') => formatDate(new Date(`${day}T12:00:00Z`), lang);

describe('the review clock on an application (J8)', () => {
  it('tells the applicant, in their language, when the decision is due; staff also see how late it is', async () => {
    // An application with a withdrawal pending still owes a decision; the helper submits one.
    const w = await submittedWithdrawal(app, db);
    const application = await db('applications').where({ id: w.applicationId }).first();
    const due = decisionDue('house', cityDay(application.submitted_at), [])!;
    const page = textOf((await w.agent.get(`${w.base}/${w.number}`)).text);
    expect(page).toContain(`Décision attendue au plus tard le ${shown(due, 'fr')}`);
    const english = textOf((await w.agent.get(`/en/building-code-services/applications/${w.number}`)).text);
    expect(english).toContain(`Decision due by ${shown(due, 'en')}`);

    // Submitted six weeks ago: the 10 business days are long past.
    const sixWeeksAgo = new Date(Date.now() - 42 * 86_400_000);
    await db('applications').where({ id: w.applicationId }).update({ submitted_at: sixWeeksAgo });
    const lateDue = decisionDue('house', cityDay(sixWeeksAgo), [])!;
    const late = businessDaysBetween(lateDue, cityDay(new Date()));
    expect(late).toBeGreaterThan(1);
    const email = uniqueEmail('staff');
    await runtime.services.staff.create(email, 'Agente Roy', STAFF_PASSWORD);
    const staff = visitor(app);
    await enrolledStaff(staff, email);
    const staffPage = textOf((await staff.get(`/fr/admin/demandes/${w.number}`)).text);
    expect(staffPage).toContain(
      `Décision attendue au plus tard le ${shown(lateDue, 'fr')} · En retard de ${late} jours ouvrables`,
    );
    // The applicant is not shown the lateness, only the date.
    expect(textOf((await w.agent.get(`${w.base}/${w.number}`)).text)).not.toContain('En retard');
  });

  it('says the clock is paused while the city waits for information, or for the fees', async () => {
    const w = await submittedWithdrawal(app, db);
    await db('applications').where({ id: w.applicationId }).update({ status: 'information_required' });
    await db('application_events').insert({
      application_id: w.applicationId,
      event: 'status_changed',
      from_status: 'submitted',
      to_status: 'information_required',
      occurred_at: new Date(),
      details: '{}',
    });
    const paused = textOf((await w.agent.get(`${w.base}/${w.number}`)).text);
    expect(paused).toContain('Le délai de décision est suspendu');
    expect(paused).not.toContain('Décision attendue');
    await db('applications').where({ id: w.applicationId }).update({ status: 'payment_due' });
    const due = textOf((await w.agent.get(`${w.base}/${w.number}`)).text);
    expect(due).not.toContain('Décision attendue');
    expect(due).toContain('Le délai de décision est suspendu jusqu’au paiement des frais.');
  });
});
