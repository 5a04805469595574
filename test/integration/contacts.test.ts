import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { applicationsBase, submittedApplication } from '../support/applications';
import { csrfFrom, submitForm, textOf, visitor, type Visitor } from '../support/browser-like';
import { companyMember, createdCompany } from '../support/companies';
import { signedInStaff } from '../support/staff';

const portal = testPortal();
const { app, runtime } = portal;
afterAll(() => portal.close());

const base = applicationsBase('fr');
const contactPage = (number: string) => `${base}/${number}/personne-ressource`;

/** An applicant's application, a company with a member holding Faire une demande and one holding only Payer. */
async function scene(label: string) {
  const applicant = visitor(app);
  await registeredUser(applicant);
  const street = `rue ${label}-${Date.now().toString(36)}`;
  const number = await submittedApplication(applicant, 'fr', { streetName: street });
  const manager = visitor(app);
  await registeredUser(manager);
  const company = await createdCompany(manager, `Conseil ${label}`);
  const submitter = (await companyMember(app, runtime.db, company.id, { can_submit: true })).agent;
  const payer = (await companyMember(app, runtime.db, company.id, { can_pay: true })).agent;
  return { applicant, number, street, manager, company, submitter, payer };
}

const sees = async (agent: Visitor, number: string) => (await agent.get(`${base}/${number}`)).status;
const listed = async (agent: Visitor, number: string) =>
  textOf((await agent.get(`${base}?period=all`)).text).includes(number);

describe('issue 17 item 10: Personne-ressource', () => {
  it('names a company by its PIN; its members with Faire une demande then see and follow the application', async () => {
    const s = await scene('Contact');
    expect(await sees(s.submitter, s.number)).toBe(404);
    const added = await submitForm(s.applicant, contactPage(s.number), contactPage(s.number), {
      pin: s.company.pin,
    });
    expect(added.status).toBe(303);
    expect(added.headers.location).toBe(`${base}/${s.number}`);
    const page = textOf((await s.applicant.get(`${base}/${s.number}`)).text);
    expect(page).toContain(`Personne-ressource de cette demande : Conseil Contact.`);
    expect(page).toContain('Personne-ressource ajoutée');
    expect((await runtime.db('applications').where({ number: s.number }).first()).contact_company_id).toBe(
      s.company.id,
    );

    // The member with Faire une demande (and the manager) see it, in Demandes and on its page; the one
    // with only Payer does not.
    for (const who of [s.submitter, s.manager]) {
      expect(await sees(who, s.number)).toBe(200);
      expect(await listed(who, s.number)).toBe(true);
    }
    expect(await sees(s.payer, s.number)).toBe(404);
    expect(await listed(s.payer, s.number)).toBe(false);
    // Seeing is not acting: the contact does not choose the contact, nor withdraw.
    expect((await s.submitter.get(contactPage(s.number))).status).toBe(403);
    const seen = (await s.submitter.get(`${base}/${s.number}`)).text;
    expect(seen).not.toContain('personne-ressource"');
    expect(seen).not.toContain(`${base}/${s.number}/retirer"`);

    // The applicant takes it off: the company no longer sees it.
    const page2 = await s.applicant.get(contactPage(s.number));
    const removed = await s.applicant
      .post(`${contactPage(s.number)}/retirer`)
      .type('form')
      .send({ _csrf: csrfFrom(page2.text) });
    expect(removed.status).toBe(303);
    expect(await sees(s.submitter, s.number)).toBe(404);
    expect(
      (await runtime.db('applications').where({ number: s.number }).first()).contact_company_id,
    ).toBeNull();
    expect(textOf((await s.applicant.get(`${base}/${s.number}`)).text)).toContain(
      'Personne-ressource retirée',
    );
  });

  it('refuses a wrong PIN beside its field, the value kept, and counts it as a PIN guess', async () => {
    const s = await scene('Erreur');
    const wrong = await submitForm(s.applicant, contactPage(s.number), contactPage(s.number), {
      pin: 'ZZZ-ZZZ-ZZZ',
    });
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.text)).toContain("Ce NIP n'est pas valide. Vérifiez-le auprès de l'entreprise.");
    expect(wrong.text).toMatch(/<p class="field-error" id="pin-error">/);
    expect(wrong.text).toContain('value="ZZZ-ZZZ-ZZZ"');
    const empty = await submitForm(s.applicant, contactPage(s.number), contactPage(s.number), { pin: ' ' });
    expect(empty.status).toBe(422);
    const applicantId = (await runtime.db('applications').where({ number: s.number }).first())
      .applicant_user_id;
    expect(
      await runtime.db('audit_events').where({ event: 'pin.failed', actor_user_id: applicantId }),
    ).toHaveLength(1);
    expect(
      (await runtime.db('applications').where({ number: s.number }).first()).contact_company_id,
    ).toBeNull();
  });

  it('answers each person as it should on the contact page', async () => {
    const s = await scene('Routes');
    const stranger = visitor(app);
    await registeredUser(stranger);
    const { agent: staff } = await signedInStaff(app, runtime);
    expect((await visitor(app).get(contactPage(s.number))).status).toBe(303);
    expect((await stranger.get(contactPage(s.number))).status).toBe(404);
    expect((await s.submitter.get(contactPage(s.number))).status).toBe(404);
    expect((await s.applicant.get(contactPage(s.number))).status).toBe(200);
    expect([403, 404]).toContain((await staff.get(contactPage(s.number))).status);
    // A stranger posting a PIN changes nothing.
    const tokenPage = await stranger.get(`${base}`);
    const post = await stranger
      .post(contactPage(s.number))
      .type('form')
      .send({ _csrf: csrfFrom(tokenPage.text), pin: s.company.pin });
    expect(post.status).toBe(404);
    expect(
      (await runtime.db('applications').where({ number: s.number }).first()).contact_company_id,
    ).toBeNull();
  });
});

describe('issue 17 item 10: Recherche in the top bar', () => {
  it("finds one's own applications by file number or any part of the address, and nobody else's", async () => {
    const s = await scene('Recherche');
    const other = await scene('Recherche');
    const search = async (agent: Visitor, q: string) =>
      textOf((await agent.get(`${base}?q=${encodeURIComponent(q)}`)).text).replace(/\s+/g, ' ');
    const byNumber = await search(s.applicant, s.number.toLowerCase());
    expect(byNumber).toContain(s.number);
    expect(byNumber).toContain(`Recherche « ${s.number.toLowerCase()} » : 1 demande trouvée.`);
    const byStreet = await search(s.applicant, s.street.slice(4).toUpperCase());
    expect(byStreet).toContain(s.number);
    // The other applicant's application on a street of the same word is not found.
    const mine = await search(s.applicant, 'rue recherche-');
    expect(mine).toContain(s.number);
    expect(mine).not.toContain(other.number);
    expect(await search(s.applicant, other.number)).toContain('0 demande trouvée.');
    // The header carries the search box on every page of a client.
    const html = (await s.applicant.get('/fr/tableau-de-bord')).text;
    expect(html).toMatch(
      /<form method="get" action="\/fr\/services-code-batiment\/demandes" class="site-search" role="search">/,
    );
  });
});
