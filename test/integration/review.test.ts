import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submittedApplication } from '../support/applications';
import { csrfFrom, submitForm, textOf, visitor } from '../support/browser-like';
import { companyMember, createdCompany } from '../support/companies';
import { emailsTo, waitForEmail } from '../support/mailbox';
import { pdfText } from '../support/pdf';
import { signedInStaff, staffAct } from '../support/staff';

const portal = testPortal({ rateLimitScale: 20 });
const { app, runtime } = portal;
const db = runtime.db;
afterAll(() => portal.close());

const HOME = '/fr/services-code-batiment';
const applicationPage = (number: string) => `${HOME}/demandes/${number}`;
const staffPage = (number: string) => `/fr/admin/demandes/${number}`;

const act = staffAct;

async function applicationRow(number: string) {
  return db('applications').where({ number }).first();
}

/** The links under "Actions requises" that answer a deficiency. */
function replyLinks(html: string): string[] {
  return [...html.matchAll(/href="([^"]+\/renseignements\/\d+\/repondre)"/g)].map((m) => m[1]!);
}

describe('J8: from submission to permit', () => {
  it('walks review, information requested and answered, messages, issuance, download and verification', async () => {
    const applicant = visitor(app);
    const { email } = await registeredUser(applicant);
    const number = await submittedApplication(applicant);
    const {
      agent: staff,
      email: staffEmail,
      id: staffId,
    } = await signedInStaff(app, runtime, 'Agente Tremblay');

    // Prendre en examen: the staff member becomes the reviewer; the applicant is told.
    expect((await act(staff, number, 'startReview')).status).toBe(303);
    expect(await applicationRow(number)).toMatchObject({ status: 'in_review', reviewer_user_id: staffId });
    expect((await waitForEmail(email, /En examen/)).subject).toBe(`Demande ${number} : En examen`);
    expect(textOf((await staff.get(staffPage(number))).text)).toContain(
      'Responsable de l’examen Agente Tremblay',
    );

    // Demander des renseignements: one per line, blank lines ignored; the clock pauses.
    const asked = await act(staff, number, 'requestInformation', {
      deficiencies: 'Plan d’implantation coté\r\n\r\n   Rapport géotechnique  \r\n',
    });
    expect(asked.status).toBe(303);
    const waiting = await applicationRow(number);
    expect(waiting).toMatchObject({ status: 'information_required', decision_due_on: null });
    const deficiencies = await db('deficiencies').where({ application_id: waiting.id }).orderBy('id');
    expect(deficiencies.map((d) => d.text)).toEqual(['Plan d’implantation coté', 'Rapport géotechnique']);
    const askedMail = await waitForEmail(email, /Renseignements requis/);
    expect(askedMail.text).toContain('- Plan d’implantation coté');
    expect(askedMail.text).toContain('- Rapport géotechnique');

    // Actions requises: one item per deficiency, each with its "Répondre" link; the count is theirs.
    const home = await applicant.get(HOME);
    expect(home.text).toContain('Actions requises <span class="count">2</span>');
    const links = replyLinks(home.text);
    expect(links).toHaveLength(2);

    // An empty answer: the message beside the field, nothing stored.
    const empty = await submitForm(applicant, links[0]!, links[0]!, { body: '   ' });
    expect(empty.status).toBe(422);
    expect(textOf(empty.text)).toContain('Entrez votre message.');
    expect(await db('application_messages').where({ application_id: waiting.id })).toHaveLength(0);

    // The first answer: still waiting for the second, and the reviewer is emailed.
    expect((await submitForm(applicant, links[0]!, links[0]!, { body: 'Plan joint.' })).status).toBe(303);
    expect((await applicationRow(number)).status).toBe('information_required');
    expect((await waitForEmail(staffEmail, /Nouveau message du demandeur/)).text).toContain('Plan joint.');
    // Answering it again: refused, nothing more stored.
    const twice = await submitForm(applicant, links[1]!, links[0]!, { body: 'Encore' });
    expect(twice.status).toBe(303);
    expect(textOf((await applicant.get(twice.headers.location!)).text)).toContain(
      'Ce renseignement n’attend plus de réponse : votre message n’a pas été envoyé.',
    );
    expect(await db('application_messages').where({ application_id: waiting.id })).toHaveLength(1);
    expect(replyLinks((await applicant.get(HOME)).text)).toEqual([links[1]]);

    // The last answer: the review goes on by itself, the clock with it.
    expect((await submitForm(applicant, links[1]!, links[1]!, { body: 'Rapport joint.' })).status).toBe(303);
    const resumed = await applicationRow(number);
    expect(resumed.status).toBe('in_review');
    expect(resumed.decision_due_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const events = await db('application_events').where({ application_id: waiting.id }).pluck('event');
    expect(events).toEqual(expect.arrayContaining(['information_provided']));
    expect(replyLinks((await applicant.get(HOME)).text)).toEqual([]);

    // Staff mark both resolved; a message reaches the applicant, a note never does.
    for (const d of deficiencies) {
      const page = await staff.get(staffPage(number));
      const res = await staff
        .post(`${staffPage(number)}/renseignements/${d.id}/resolu`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text) });
      expect(res.status).toBe(303);
    }
    expect(
      (await db('deficiencies').where({ application_id: waiting.id }).whereNull('resolved_at')).length,
    ).toBe(0);
    const before = (await emailsTo(email)).length;
    expect(
      (
        await submitForm(staff, staffPage(number), `${staffPage(number)}/messages`, {
          body: 'Merci, tout y est.',
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await submitForm(staff, staffPage(number), `${staffPage(number)}/messages`, {
          body: 'Note : vérifier la marge latérale.',
          note: 'on',
        })
      ).status,
    ).toBe(303);
    await waitForEmail(email, /Nouveau message sur la demande/);
    const seen = textOf((await applicant.get(applicationPage(number))).text);
    expect(seen).toContain('Merci, tout y est.');
    expect(seen).not.toContain('vérifier la marge latérale');
    expect(textOf((await staff.get(staffPage(number))).text)).toContain('vérifier la marge latérale');

    // Délivrer le permis: the PDF is stored, emailed, downloadable by the applicant alone.
    expect((await act(staff, number, 'issue', { conditions: 'Garde-corps de 1,07 m' })).status).toBe(303);
    expect((await applicationRow(number)).status).toBe('issued');
    const permit = await db('permits').where({ application_id: waiting.id }).first();
    expect(permit.number).toMatch(/^PC-\d{4}-\d{6}$/);
    const issuedMail = await waitForEmail(email, /Permis délivré/);
    const attached = issuedMail.attachments.find((a) => a.contentType === 'application/pdf');
    expect(attached?.filename).toBe(`${permit.number}.pdf`);
    const emailed = await pdfText(attached!.content);
    for (const words of [
      'Permis de construire / Building permit',
      permit.number,
      number,
      '110 LAURIER AVE OUEST/WEST',
      'Garde-corps de 1,07 m',
      'Code de vérification du permis / Permit verification code',
    ])
      expect(emailed).toContain(words);
    // Only the last few emails may have reached the applicant: one per event, none for the note.
    expect((await emailsTo(email)).length - before).toBe(2);

    const download = await applicant.get(`${applicationPage(number)}/permis.pdf`);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="${permit.number}.pdf"`);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(await pdfText(download.body as Buffer)).toContain(permit.number);
    const stranger = visitor(app);
    await registeredUser(stranger);
    expect((await stranger.get(`${applicationPage(number)}/permis.pdf`)).status).toBe(404);
    // Staff download it from the admin page; a client never reaches that address.
    const staffPdf = await staff.get(`${staffPage(number)}/permis.pdf`);
    expect(staffPdf.status).toBe(200);
    expect(await pdfText(staffPdf.body as Buffer)).toContain(permit.number);
    expect((await applicant.get(`${staffPage(number)}/permis.pdf`)).status).toBe(404);

    // Vérifier un permis: anyone, no sign-in; a wrong pair answers alike whether the number exists or not.
    const code =
      /([34679ACDEFGHJKMNPQRTUVWXY]{3}-[34679ACDEFGHJKMNPQRTUVWXY]{3}-[34679ACDEFGHJKMNPQRTUVWXY]{3})/.exec(
        emailed,
      )![1]!;
    const neighbour = visitor(app);
    const verify = (fields: Record<string, string>) =>
      submitForm(neighbour, '/fr/verifier-un-permis', '/fr/verifier-un-permis', fields);
    const genuine = textOf(
      (
        await verify({
          permitNumber: permit.number.toLowerCase(),
          code: code.toLowerCase().replace(/-/g, ' '),
        })
      ).text,
    );
    expect(genuine).toContain(`Le permis ${permit.number} est authentique.`);
    expect(genuine).toContain('Délivré');
    expect(genuine).toContain('110 LAURIER AVE OUEST/WEST');
    expect(genuine).not.toContain('Test'); // nothing about the applicant
    const wrongCode = (await verify({ permitNumber: permit.number, code: 'AAA-AAA-AAA' })).text;
    const noSuchNumber = (await verify({ permitNumber: 'PC-1999-999999', code })).text;
    const notice = (html: string) => /<div class="notice[^"]*" role="status">[\s\S]*?<\/div>/.exec(html)![0];
    expect(notice(wrongCode)).toBe(notice(noSuchNumber));
    expect(textOf(wrongCode)).toContain('Aucun permis ne correspond à ce numéro et à ce code.');
    const malformed = await verify({ permitNumber: 'abc', code: '' });
    expect(malformed.status).toBe(422);
    expect(textOf(malformed.text)).toContain('Entrez le numéro comme il est imprimé sur le permis');
    expect(malformed.text).toContain('value="abc"');
  });

  it('lets the applicant company’s members with Faire une demande write, and those with only Payer read', async () => {
    const manager = visitor(app);
    await registeredUser(manager);
    const company = await createdCompany(manager, 'Toitures Outaouais');
    const number = await submittedApplication(manager, 'fr', { onBehalfOf: String(company.id) });
    const member = (columns: Record<string, boolean>) => companyMember(app, db, company.id, columns);
    const submitter = await member({ can_submit: true });
    const payer = await member({ can_pay: true });
    const { agent: staff } = await signedInStaff(app, runtime);
    await act(staff, number, 'startReview');
    await submitForm(staff, staffPage(number), `${staffPage(number)}/messages`, {
      body: 'Question au demandeur',
    });
    // Everyone who may write is emailed; the member with only Payer reads on the page, not by email.
    await waitForEmail(submitter.email, /Nouveau message/);
    const payerPage = await payer.agent.get(applicationPage(number));
    expect(textOf(payerPage.text)).toContain('Question au demandeur');
    expect(payerPage.text).not.toContain('name="body"');
    const refused = await submitForm(
      payer.agent,
      applicationPage(number),
      `${applicationPage(number)}/messages`,
      {
        body: 'Je paie seulement',
      },
    );
    expect(textOf((await payer.agent.get(refused.headers.location!)).text)).toContain(
      'Vous ne pouvez pas écrire sur cette demande.',
    );
    expect(
      (
        await submitForm(submitter.agent, applicationPage(number), `${applicationPage(number)}/messages`, {
          body: 'Réponse du collègue',
        })
      ).status,
    ).toBe(303);
    const application = await applicationRow(number);
    const bodies = await db('application_messages').where({ application_id: application.id }).pluck('body');
    expect(bodies).toEqual(['Question au demandeur', 'Réponse du collègue']);
    expect((await emailsTo(payer.email)).filter((m) => /Nouveau message/.test(m.subject))).toHaveLength(0);
  });

  it('refuses with reasons, emailed in the applicant’s language; never issues while fees are due', async () => {
    const applicant = visitor(app);
    const { email } = await registeredUser(applicant, { lang: 'en' });
    const number = await submittedApplication(applicant, 'en');
    const { agent: staff } = await signedInStaff(app, runtime);
    await act(staff, number, 'startReview');
    const noReason = await act(staff, number, 'refuse', { refuseReason: '' });
    expect(noReason.status).toBe(422);
    expect(textOf(noReason.text)).toContain('Entrez les motifs du refus.');
    expect((await act(staff, number, 'refuse', { refuseReason: 'Marge de recul insuffisante' })).status).toBe(
      303,
    );
    expect((await applicationRow(number)).status).toBe('refused');
    const mail = await waitForEmail(email, /Permit refused/);
    expect(mail.text).toContain('Reasons: Marge de recul insuffisante');

    const other = await submittedApplication(applicant, 'en');
    await act(staff, other, 'startReview');
    await act(staff, other, 'assessFees', { feeAmount: '1 250,00', feesReason: 'Droits' });
    const unpaid = await act(staff, other, 'issue', {});
    expect(unpaid.status).toBe(409);
    expect(textOf(unpaid.text)).toContain("Ce changement de statut n'est pas permis.");
    expect((await applicationRow(other)).status).toBe('payment_due');
    expect(await db('permits').where({ application_id: (await applicationRow(other)).id })).toHaveLength(0);
  });

  it('emails nobody who unticked that event in Mon profil', async () => {
    const applicant = visitor(app);
    const { email } = await registeredUser(applicant);
    await db('users')
      .where({ email })
      .update({ email_opt_outs: ['messages'] });
    const number = await submittedApplication(applicant);
    const { agent: staff } = await signedInStaff(app, runtime);
    await act(staff, number, 'startReview');
    await submitForm(staff, staffPage(number), `${staffPage(number)}/messages`, { body: 'Un message' });
    await waitForEmail(email, /En examen/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await emailsTo(email)).filter((m) => /Nouveau message/.test(m.subject))).toHaveLength(0);
  });
});

describe('the staff review queue', () => {
  it('puts late applications first and says how late, in business days', async () => {
    const applicant = visitor(app);
    await registeredUser(applicant);
    const number = await submittedApplication(applicant);
    // Due long ago (in 1999 or before): first in the queue, and thousands of business days late.
    // (Earlier than any other in the database, which earlier runs of this test share.)
    const { earliest } = (await db('applications').min('decision_due_on as earliest').first()) as {
      earliest: string | null;
    };
    const due = new Date(`${earliest && earliest < '1999-01-04' ? earliest : '1999-01-04'}T00:00:00Z`);
    due.setUTCDate(due.getUTCDate() - 7);
    await db('applications')
      .where({ number })
      .update({ decision_due_on: due.toISOString().slice(0, 10) });
    const { agent: staff } = await signedInStaff(app, runtime);
    const queue = await staff.get('/fr/admin/examen');
    expect(queue.status).toBe(200);
    const numbers = [...queue.text.matchAll(/admin\/demandes\/(CON-\d{4}-\d{6})"/g)].map((m) => m[1]);
    expect(numbers[0]).toBe(number);
    const firstRow = textOf(/<tr class="row--late">[\s\S]*?<\/tr>/.exec(queue.text)![0]);
    expect(firstRow).toMatch(/En retard de \d[\d\s]* jours ouvrables/);
    const { rows } = await runtime.services.reviewQueues.page(1, 50);
    const dues = rows.map((r) => r.decision_due_on ?? '9999-12-31');
    expect(dues).toEqual([...dues].sort());
  });
});

describe('Vérifier un permis, against guessing', () => {
  const strict = testPortal();
  afterAll(() => strict.close());

  it('answers 30 checks an hour from one address, then 429 with its page, and checks nothing more', async () => {
    const guesser = visitor(strict.app);
    const page = await guesser.get('/fr/verifier-un-permis');
    const token = csrfFrom(page.text);
    const guess = () =>
      guesser
        .post('/fr/verifier-un-permis')
        .type('form')
        .send({ _csrf: token, permitNumber: 'PC-2026-000001', code: 'AAA-AAA-AAA' });
    for (let i = 0; i < 30; i += 1) expect((await guess()).status).toBe(200);
    const refused = await guess();
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    // Another address is not held back by this one.
    expect(
      (
        await submitForm(visitor(strict.app), '/fr/verifier-un-permis', '/fr/verifier-un-permis', {
          permitNumber: 'PC-2026-000001',
          code: 'AAA-AAA-AAA',
        })
      ).status,
    ).toBe(200);
  });
});
