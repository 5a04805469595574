import { afterAll, describe, expect, it } from 'vitest';
import { objectStoreFor } from '../../src/storage';
import { EICAR_FOUND } from '../../scripts/support/clamd';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submittedApplication } from '../support/applications';
import { submitForm, textOf, visitor } from '../support/browser-like';
import { documentsPage, infectedPdf, pdfBytes, pngBytes, scanned, upload } from '../support/documents';
import { waitForEmail } from '../support/mailbox';
import { signedInStaff, staffAct } from '../support/staff';

const portal = testPortal({ rateLimitScale: 20 });
const { app, runtime } = portal;
const db = runtime.db;
const store = objectStoreFor(runtime.config.storage);
afterAll(() => portal.close());

async function documentsOf(number: string) {
  const application = await db('applications').where({ number }).first();
  return db('documents').where({ application_id: application.id }).orderBy('id');
}

/** The download link of each document on a page, by its name. */
function downloadLinks(html: string): Map<string, string> {
  return new Map(
    [...html.matchAll(/<a href="([^"]+\/documents\/\d+)" download>([^<]+)</g)].map((m) => [m[2]!, m[1]!]),
  );
}

describe('J10: documents on an application', { timeout: 90_000 }, () => {
  it('keeps an upload "being scanned", then serves the same bytes once clamd finds it clean', async () => {
    const applicant = visitor(app);
    const { email } = await registeredUser(applicant);
    const number = await submittedApplication(applicant);
    const plan = pdfBytes('implantation');
    const photo = pngBytes();

    // The browser calls the PNG a PDF and names it .exe: the content decides, the name gets its extension.
    const sent = await upload(applicant, number, [
      { name: 'Plan d’implantation.pdf', content: plan },
      { name: 'C:\\Users\\vivian\\photo.exe', content: photo, type: 'application/pdf' },
    ]);
    expect(sent.status).toBe(303);
    const [first, second] = await documentsOf(number);
    expect(first).toMatchObject({
      file_name: 'Plan d’implantation.pdf',
      content_type: 'application/pdf',
      size_bytes: plan.length,
    });
    expect(second).toMatchObject({ file_name: 'photo.exe.png', content_type: 'image/png' });
    expect(await store.has(`documents/${first.sha256}`)).toBe(true);

    const received = await applicant.get(sent.headers.location!);
    expect(textOf(received.text)).toContain('Les 2 documents ont été reçus.');

    const clean = await scanned(db, first.id);
    await scanned(db, second.id);
    expect(clean.status).toBe('clean');
    const page = await applicant.get(documentsPage(number));
    expect(textOf(page.text)).toContain('Analysé, sans virus');
    const links = downloadLinks(page.text);
    const download = await applicant.get(links.get('Plan d’implantation.pdf')!).buffer(true);
    expect(download.status).toBe(200);
    expect(Buffer.compare(download.body as Buffer, plan)).toBe(0);
    expect(download.headers).toMatchObject({
      'content-type': 'application/pdf',
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    });
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename=.*implantation\.pdf/);

    // The application's page lists them too; each upload and download is in the audit trail.
    expect(textOf((await applicant.get(`/fr/services-code-batiment/demandes/${number}`)).text)).toContain(
      'photo.exe.png',
    );
    const user = await db('users').where({ email }).first();
    const audit = await db('audit_events')
      .where({ actor_user_id: user.id })
      .whereIn('event', ['document.uploaded', 'document.downloaded'])
      .orderBy('id');
    expect(audit.map((a) => a.event)).toEqual([
      'document.uploaded',
      'document.uploaded',
      'document.downloaded',
    ]);
    expect(audit[2].details).toMatchObject({ application: number, document_id: Number(first.id) });

    // Staff download every document from the admin page.
    const { agent: staff } = await signedInStaff(app, runtime, 'Agent Documents');
    const adminPage = await staff.get(`/fr/admin/demandes/${number}`);
    const staffLink = downloadLinks(adminPage.text).get('photo.exe.png')!;
    expect(staffLink).toBe(`/fr/admin/demandes/${number}/documents/${second.id}`);
    const staffDownload = await staff.get(staffLink).buffer(true);
    expect(staffDownload.status).toBe(200);
    expect(Buffer.compare(staffDownload.body as Buffer, photo)).toBe(0);
  });

  it('quarantines an infected file: never served, the uploader and staff told', async () => {
    const applicant = visitor(app);
    const { email } = await registeredUser(applicant, { lang: 'en' });
    const number = await submittedApplication(applicant);
    const { email: staffEmail } = await signedInStaff(app, runtime, 'Agent Quarantaine');

    expect((await upload(applicant, number, [{ name: 'devis.pdf', content: infectedPdf() }])).status).toBe(
      303,
    );
    const [row] = await documentsOf(number);
    // Not served while being scanned.
    const early = await applicant.get(`${documentsPage(number)}/${row.id}`);
    expect(early.status).toBe(404);

    const found = await scanned(db, row.id);
    expect(found).toMatchObject({ status: 'infected', found: EICAR_FOUND });
    expect(await store.has(`documents/${row.sha256}`)).toBe(false);
    expect(await store.has(`quarantine/${row.sha256}`)).toBe(true);
    expect((await applicant.get(`${documentsPage(number)}/${row.id}`)).status).toBe(404);
    const page = await applicant.get(documentsPage(number, 'en'));
    expect(textOf(page.text)).toMatch(/devis\.pdf Uploaded by [^|]+? Infected, quarantined/);
    expect(downloadLinks(page.text).size).toBe(0);

    const told = await waitForEmail(email, /Document refused/);
    expect(told.subject).toBe(`Document refused: devis.pdf (application ${number})`);
    expect((await waitForEmail(staffEmail, /Document infecté/)).text).toContain('devis.pdf');
    // Other test files quarantine files at the same time: this document's own entry.
    const audit = await db('audit_events')
      .where({ event: 'document.infected' })
      .whereRaw(`details->>'document_id' = ?`, [String(row.id)])
      .first();
    expect(audit.details).toMatchObject({ document_id: Number(row.id), found: [EICAR_FOUND] });
  });

  it('answers a document staff asked for by uploading it; the review goes on once every item is answered', async () => {
    const applicant = visitor(app);
    await registeredUser(applicant);
    const number = await submittedApplication(applicant);
    const { agent: staff } = await signedInStaff(app, runtime, 'Agente Documents');
    expect((await staffAct(staff, number, 'startReview')).status).toBe(303);
    const asked = await staffAct(staff, number, 'requestInformation', {
      deficiencies: 'Nom de l’entrepreneur',
      documents: 'Plan d’implantation coté',
    });
    expect(asked.status).toBe(303);
    const application = await db('applications').where({ number }).first();
    const [text, document] = await db('deficiencies').where({ application_id: application.id }).orderBy('id');
    expect(document).toMatchObject({ text: 'Plan d’implantation coté', wants_document: true });

    // Actions requises: "Téléverser" opens the documents page with the request chosen.
    const home = await applicant.get('/fr/services-code-batiment');
    const link = `${documentsPage(number)}?item=${document.id}`;
    expect(home.text).toContain(`href="${link}">Téléverser`);
    expect((await applicant.get(link)).text).toMatch(
      new RegExp(`<option value="${document.id}" selected>Plan d’implantation coté</option>`),
    );
    // The reply page of a document request leads there too; a text reply cannot answer it.
    const reply = `/fr/services-code-batiment/demandes/${number}/renseignements/${document.id}/repondre`;
    expect((await applicant.get(reply)).headers.location).toBe(link);

    const sent = await upload(applicant, number, [{ name: 'implantation.pdf', content: pdfBytes() }], {
      item: document.id,
    });
    expect(sent.status).toBe(303);
    expect((await db('deficiencies').where({ id: document.id }).first()).answered_at).not.toBeNull();
    const [row] = await documentsOf(number);
    expect(row).toMatchObject({ deficiency_id: document.id, file_name: 'implantation.pdf' });
    const message = await db('application_messages')
      .where({ application_id: application.id })
      .orderBy('id', 'desc')
      .first();
    expect(message.body).toBe('implantation.pdf');
    // One item still open: still waiting; answering it sends the review on.
    expect((await db('applications').where({ number }).first()).status).toBe('information_required');
    const answered = await submitForm(
      applicant,
      `/fr/services-code-batiment/demandes/${number}/renseignements/${text.id}/repondre`,
      `/fr/services-code-batiment/demandes/${number}/renseignements/${text.id}/repondre`,
      { body: 'Construction Rideau inc.' },
    );
    expect(answered.status).toBe(303);
    expect((await db('applications').where({ number }).first()).status).toBe('in_review');
    // The same request cannot be answered twice.
    const again = await upload(applicant, number, [{ name: 'encore.pdf', content: pdfBytes() }], {
      item: document.id,
    });
    expect(again.status).toBe(422);
  });
});
