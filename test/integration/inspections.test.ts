import ical, { type VEvent } from 'node-ical';
import { afterAll, describe, expect, it } from 'vitest';
import { addDays, isBusinessDay } from '../../src/domain/business-days';
import { earliestInspectionDay } from '../../src/domain/inspections';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submittedApplication } from '../support/applications';
import { csrfFrom, submitForm, textOf, visitor, type Visitor } from '../support/browser-like';
import { waitForEmail } from '../support/mailbox';
import { signedInStaff, staffAct } from '../support/staff';

const portal = testPortal({ rateLimitScale: 20 });
const { app, runtime } = portal;
const db = runtime.db;
afterAll(() => portal.close());

const HOME = '/fr/services-code-batiment';
const requestPage = (number: string) => `${HOME}/demandes/${number}/inspections/nouvelle`;

/** A deck permit issued to a new applicant (deck: footings, framing, final). */
async function issuedDeck(): Promise<{ applicant: Visitor; email: string; number: string; staff: Visitor }> {
  const applicant = visitor(app);
  const { email } = await registeredUser(applicant);
  const number = await submittedApplication(applicant, 'fr', { permitType: 'deck', floorArea: '20' });
  const { agent: staff } = await signedInStaff(app, runtime, 'Inspectrice Roy');
  expect((await staffAct(staff, number, 'startReview')).status).toBe(303);
  expect((await staffAct(staff, number, 'issue')).status).toBe(303);
  return { applicant, email, number, staff };
}

async function inspectionRows(number: string) {
  const application = await db('applications').where({ number }).first('id');
  return db('inspections').where({ application_id: application.id }).orderBy('id');
}

const ask = (agent: Visitor, number: string, fields: Record<string, string>) =>
  submitForm(agent, requestPage(number), requestPage(number), {
    contactPhone: '613-580-2424',
    notes: 'Barrière côté ruelle',
    ...fields,
  });

/** Staff's form on one inspection, from the admin page (its token). */
async function staffInspection(
  staff: Visitor,
  number: string,
  id: number,
  action: string,
  fields: Record<string, string>,
) {
  const page = await staff.get(`/fr/admin/demandes/${number}`);
  return staff
    .post(`/fr/admin/demandes/${number}/inspections/${id}/${action}`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...fields });
}

function nextWeekend(from: string): string {
  let day = from;
  while (isBusinessDay(day)) day = addDays(day, 1);
  return day;
}

describe('J10: inspections on an issued permit', () => {
  it('are asked for, scheduled with a calendar file, failed, booked again, passed; the final closes the permit', async () => {
    const { applicant, email, number, staff } = await issuedDeck();
    const earliest = earliestInspectionDay(new Date());

    // The day must be a business day, not before the earliest.
    const tooSoon = await ask(applicant, number, { stage: 'footings', preferredOn: addDays(earliest, -1) });
    expect(tooSoon.status).toBe(422);
    expect(textOf(tooSoon.text)).toContain('Choisissez une date plus tard');
    const weekend = await ask(applicant, number, { stage: 'footings', preferredOn: nextWeekend(earliest) });
    expect(textOf(weekend.text)).toContain('La Ville est fermée ce jour-là');
    expect(weekend.text).toContain('value="613-580-2424"');
    expect(await inspectionRows(number)).toHaveLength(0);

    expect((await ask(applicant, number, { stage: 'footings', preferredOn: earliest })).status).toBe(303);
    expect((await ask(applicant, number, { stage: 'final', preferredOn: earliest })).status).toBe(303);
    // The same stage twice is refused beside the stage.
    const twice = await ask(applicant, number, { stage: 'footings', preferredOn: earliest });
    expect(textOf(twice.text)).toContain('Cette étape est déjà demandée ou planifiée.');
    const [footings, final] = await inspectionRows(number);
    expect(footings).toMatchObject({ stage: 'footings', status: 'requested', contact_phone: '6135802424' });

    // Staff schedule it: the email carries a calendar file for 8:00–12:00 in Ottawa.
    expect(
      (
        await staffInspection(staff, number, footings.id, 'schedule', {
          day: earliest,
          window: 'morning',
          inspector: 'J. Roy',
        })
      ).status,
    ).toBe(303);
    const scheduled = await waitForEmail(email, /Inspection planifiée/);
    const file = scheduled.attachments.find((a) => a.filename === 'inspection.ics')!;
    expect(file.contentType).toBe('text/calendar');
    const parsed = Object.values(ical.sync.parseICS(file.content.toString('utf8'))).find(
      (c) => c.type === 'VEVENT',
    ) as VEvent;
    const hour = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/Toronto',
      hour: 'numeric',
      hourCycle: 'h23',
    });
    expect(Number(hour.format(parsed.start))).toBe(8);
    expect(Number(hour.format(parsed.end))).toBe(12);
    expect(parsed.summary).toContain('Semelles / Footings');
    expect(parsed.summary).toContain(number);
    expect(String(parsed.uid)).toBe(`inspection-${footings.id}-${number}@permit-portal`);

    // Moved: the same event (UID), a higher SEQUENCE.
    await staffInspection(staff, number, footings.id, 'schedule', {
      day: earliest,
      window: 'afternoon',
      inspector: 'J. Roy',
    });
    const moved = await waitForEmail(email, /Inspection déplacée/);
    const movedEvent = Object.values(ical.sync.parseICS(moved.attachments[0]!.content.toString('utf8'))).find(
      (c) => c.type === 'VEVENT',
    ) as VEvent;
    expect(String(movedEvent.uid)).toBe(String(parsed.uid));
    expect(Number(movedEvent.sequence)).toBe(1);
    expect(Number(hour.format(movedEvent.start))).toBe(12);

    // Failed without notes is refused beside the notes; with them, it waits under Actions requises.
    const noNotes = await staffInspection(staff, number, footings.id, 'result', { outcome: 'failed' });
    expect(noNotes.status).toBe(422);
    expect(textOf(noNotes.text)).toContain('Indiquez ce qui doit être corrigé');
    await staffInspection(staff, number, footings.id, 'result', {
      outcome: 'failed',
      resultNotes: 'Semelles trop peu profondes : 1,2 m minimum.',
    });
    expect((await waitForEmail(email, /Inspection échouée/)).text).toContain('1,2 m minimum');
    const home = await applicant.get(HOME);
    expect(textOf(home.text)).toContain('Réserver de nouveau une inspection échouée');
    expect(home.text).toMatch(/<span class="count">1<\/span>/);
    expect((await db('applications').where({ number }).first()).inspections_to_book).toBe(1);

    // The final cannot pass before the mandatory stages.
    await staffInspection(staff, number, final.id, 'schedule', {
      day: earliest,
      window: 'morning',
      inspector: 'J. Roy',
    });
    const early = await staffInspection(staff, number, final.id, 'result', { outcome: 'passed' });
    expect(early.status).toBe(422);
    expect(textOf(early.text)).toContain(
      'L’inspection finale ne peut pas être réussie avant les étapes obligatoires suivantes : Semelles / Footings, Charpente / Framing.',
    );
    // Nor can staff close the permit by hand meanwhile.
    expect((await staffAct(staff, number, 'close', { closeReason: 'Travaux terminés' })).status).toBe(409);

    // Booked again, then passed; framing too; then the final closes the permit.
    expect((await ask(applicant, number, { stage: 'footings', preferredOn: earliest })).status).toBe(303);
    expect((await db('applications').where({ number }).first()).inspections_to_book).toBe(0);
    for (const stage of ['footings', 'framing']) {
      if (stage === 'framing') await ask(applicant, number, { stage, preferredOn: earliest });
      const open = (await inspectionRows(number)).find((i) => i.stage === stage && i.status === 'requested')!;
      await staffInspection(staff, number, open.id, 'schedule', {
        day: earliest,
        window: 'morning',
        inspector: 'J. Roy',
      });
      expect((await staffInspection(staff, number, open.id, 'result', { outcome: 'passed' })).status).toBe(
        303,
      );
    }
    expect((await staffInspection(staff, number, final.id, 'result', { outcome: 'passed' })).status).toBe(
      303,
    );
    const closed = await db('applications').where({ number }).first();
    expect(closed.status).toBe('closed');
    const history = await db('application_events')
      .where({ application_id: closed.id })
      .orderBy('id', 'desc')
      .first();
    expect(history).toMatchObject({
      event: 'final_inspection_passed',
      from_status: 'issued',
      to_status: 'closed',
    });
    const page = textOf((await applicant.get(`${HOME}/demandes/${number}`)).text);
    expect(page).toContain('Fermé');
    expect(page).toContain('Réussie');
  });
});
