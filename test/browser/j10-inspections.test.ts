import ical, { type VEvent } from 'node-ical';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submittedApplication } from '../support/applications';
import { uniqueEmail, visitor } from '../support/browser-like';
import { waitForEmail } from '../support/mailbox';
import { signedInStaff, staffAct, STAFF_PASSWORD } from '../support/staff';
import {
  browserAvailable,
  browserHarness,
  expectAccessibleWithoutScript,
  expectFlash,
  JOURNEY,
} from './browser';
import { press, signIn, staffSignsIn, tabTo, typeInto } from './keyboard';

const words = {
  fr: {
    signIn: '/fr/connexion',
    home: '/fr/services-code-batiment',
    applications: '/fr/services-code-batiment/demandes',
    request: "Demande d'inspection",
    final: 'Finale',
    submit: 'Demander l’inspection',
    queue: '/fr/admin/inspections',
    schedule: 'Planifier',
    record: 'Enregistrer le résultat',
    scheduledMail: /^Inspection planifiée/,
    failedMail: /^Inspection échouée/,
    toBook: 'Réserver de nouveau une inspection échouée',
    bookAgain: 'Réserver de nouveau cette inspection',
    closed: 'Fermé',
    passed: 'Réussie',
  },
  en: {
    signIn: '/en/sign-in',
    home: '/en/building-code-services',
    applications: '/en/building-code-services/applications',
    request: 'Request an inspection',
    final: 'Final',
    submit: 'Request the inspection',
    queue: '/en/admin/inspections',
    schedule: 'Schedule',
    record: 'Record the result',
    scheduledMail: /^Inspection scheduled/,
    failedMail: /^Inspection failed/,
    toBook: 'Book a failed inspection again',
    bookAgain: 'Book this inspection again',
    closed: 'Closed',
    passed: 'Passed',
  },
} as const;

const run = browserAvailable();

/** The open inspection of the application (the newest), as staff's forms name it. */
async function openInspection(db: ReturnType<typeof testPortal>['runtime']['db'], number: string) {
  const row = await db('inspections as i')
    .join('applications as a', 'a.id', 'i.application_id')
    .where('a.number', number)
    .whereIn('i.status', ['requested', 'scheduled'])
    .orderBy('i.id', 'desc')
    .first('i.id');
  return Number(row.id);
}

describe.runIf(run)(
  'J10 inspections in a real browser, keyboard only, without JavaScript: asked, scheduled, failed, booked again, passed → Fermé',
  { timeout: JOURNEY.timeout * 2 },
  () => {
    const portal = testPortal({ rateLimitScale: 10 });
    const db = portal.runtime.db;
    const harness = browserHarness(portal.app);
    const contexts: BrowserContext[] = [];
    afterAll(async () => {
      await Promise.all(contexts.map((c) => c.close()));
      await portal.close();
    });
    const noScript = async (): Promise<Page> => {
      const context = await harness.browser.newContext({ javaScriptEnabled: false });
      contexts.push(context);
      return context.newPage();
    };

    for (const lang of ['fr', 'en'] as const) {
      const w = words[lang];
      it(`${lang}: request the final inspection, staff schedule it (calendar file), fail it, rebook, pass it`, async () => {
        // A pool enclosure's permit, issued (its one stage is the final inspection).
        const owner = visitor(portal.app);
        const { email, password } = await registeredUser(owner, { lang });
        const number = await submittedApplication(owner, lang, { permitType: 'pool_enclosure' });
        const { agent: reviewer } = await signedInStaff(portal.app, portal.runtime);
        expect((await staffAct(reviewer, number, 'startReview')).status).toBe(303);
        expect((await staffAct(reviewer, number, 'issue')).status).toBe(303);

        // The applicant asks for it from the home's "Demande d'inspection", by keyboard.
        const applicant = await noScript();
        await signIn(applicant, harness.origin + w.signIn, email, password);
        await applicant.goto(harness.origin + w.home);
        await press(applicant, w.request);
        await expectAccessibleWithoutScript(applicant);
        await press(applicant, number);
        await expectAccessibleWithoutScript(applicant);
        await tabTo(applicant, { id: 'stage' });
        await applicant.keyboard.type(w.final);
        // The preferred day comes filled in with the earliest allowed.
        await typeInto(applicant, 'contactPhone', '613-580-2424');
        await press(applicant, w.submit);
        await expectFlash(applicant);
        await expectAccessibleWithoutScript(applicant);

        // Staff sign in with the second factor and schedule it from the queue.
        const staffEmail = uniqueEmail('inspecteur');
        await portal.runtime.services.staff.create(staffEmail, 'Agent', STAFF_PASSWORD);
        const staff = await noScript();
        await staffSignsIn(staff, harness.origin, lang, staffEmail, STAFF_PASSWORD);
        await staff.goto(harness.origin + w.queue);
        await expectAccessibleWithoutScript(staff);
        await press(staff, number);
        await expectAccessibleWithoutScript(staff);
        const first = await openInspection(db, number);
        await typeInto(staff, `inspector-${first}`, 'J. Roy');
        await press(staff, w.schedule);
        await expectFlash(staff);

        // The email carries the calendar file: the morning of the day asked for, in Ottawa.
        const scheduled = await waitForEmail(email, w.scheduledMail);
        const file = scheduled.attachments.find((a) => a.filename === 'inspection.ics')!;
        const event = Object.values(ical.sync.parseICS(file.content.toString('utf8'))).find(
          (c) => c.type === 'VEVENT',
        ) as VEvent;
        const row = await db('inspections').where({ id: first }).first();
        const inOttawa = (d: Date) =>
          new Intl.DateTimeFormat('en-CA', {
            timeZone: 'America/Toronto',
            dateStyle: 'short',
            timeStyle: 'short',
            hourCycle: 'h23',
          }).format(d);
        expect(inOttawa(event.start)).toBe(`${row.scheduled_on}, 08:00`);
        expect(inOttawa(event.end)).toBe(`${row.scheduled_on}, 12:00`);
        expect(event.summary).toContain(number);

        // Staff fail it, with what to correct.
        await staff.reload();
        // Tab reaches the radio group at its first choice (Réussie); the arrow moves to Échouée.
        await tabTo(staff, { id: `outcome-passed-${first}` });
        await staff.keyboard.press('ArrowDown');
        await typeInto(staff, `resultNotes-${first}`, 'Porte sans fermeture automatique');
        await press(staff, w.record);
        await expectFlash(staff);
        expect((await waitForEmail(email, w.failedMail)).text).toContain('Porte sans fermeture automatique');

        // The applicant finds it under Actions requises and books it again.
        await applicant.goto(harness.origin + w.home);
        await press(applicant, w.toBook);
        await expectAccessibleWithoutScript(applicant);
        await press(applicant, w.bookAgain);
        await typeInto(applicant, 'contactPhone', '613-580-2424');
        await press(applicant, w.submit);
        await expectFlash(applicant);

        // Staff schedule the new request and pass it: the permit is closed.
        const second = await openInspection(db, number);
        expect(second).not.toBe(first);
        await staff.reload();
        await typeInto(staff, `inspector-${second}`, 'J. Roy');
        await press(staff, w.schedule);
        await expectFlash(staff);
        await tabTo(staff, { id: `outcome-passed-${second}` });
        await staff.keyboard.press('Space');
        await press(staff, w.record);
        await expectFlash(staff);
        await expectAccessibleWithoutScript(staff);

        expect((await db('applications').where({ number }).first()).status).toBe('closed');
        await applicant.goto(`${harness.origin}${w.applications}/${number}`);
        const shown = (await applicant.locator('main').textContent())!.replace(/\s+/g, ' ');
        expect(shown).toContain(w.closed);
        expect(shown).toContain(w.passed);
        expect(shown).toContain('Porte sans fermeture automatique');
        await expectAccessibleWithoutScript(applicant);
      });
    }
  },
);
