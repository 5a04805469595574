import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submitForm, textOf, visitor, type Visitor } from '../support/browser-like';
import { ASSOCIATE, bulk, COMPANY_TAB, createdCompany } from '../support/companies';
import { emailsTo, waitForEmail } from '../support/mailbox';

const portal = testPortal();
const { app, runtime } = portal;
afterAll(() => portal.close());

const NEW = '/fr/services-code-batiment/demandes/nouvelle';
const LIST = '/fr/services-code-batiment/demandes';
const APPLICATION = {
  permitType: 'house',
  floorArea: '120',
  streetNumber: '110',
  streetName: 'LAURIER AVE OUEST/WEST',
  postalCode: 'K1P 1J1',
  description: 'Maison',
};

async function applicant(): Promise<{ agent: Visitor; email: string; number: string }> {
  const agent = visitor(app);
  const { email } = await registeredUser(agent);
  const res = await submitForm(agent, NEW, NEW, APPLICATION);
  return { agent, email, number: decodeURIComponent(res.headers.location!.split('/').pop()!) };
}

const withdrawPath = (number: string) => `${LIST}/${number}/retirer`;
const withdraw = (agent: Visitor, number: string, comment = 'Projet annulé') =>
  submitForm(agent, withdrawPath(number), withdrawPath(number), { comment });

async function row(number: string) {
  return runtime.db('applications').where({ number }).first();
}

describe('withdrawing an application (J6)', () => {
  it('shows the red Retirer button, the form of the guide, then the banner, the history entry and the email', async () => {
    const { agent, email, number } = await applicant();
    const page = await agent.get(`${LIST}/${number}`);
    expect(page.text).toContain(`href="${withdrawPath(number)}"`);
    const form = textOf((await agent.get(withdrawPath(number))).text);
    expect(form).toContain('Retirer la demande');
    expect(form).toContain('Veuillez remplir les informations ci-dessous pour retirer votre demande.');
    expect(form).toContain('Numéro de demande');
    expect(form).toContain('Commentaire * (requis)');

    const res = await withdraw(agent, number, 'Nous avons vendu la maison.');
    expect(res.status).toBe(303);
    const after = textOf((await agent.get(res.headers.location!)).text);
    expect(after).toContain(`Une demande de retrait a été soumise pour ${number}.`);
    expect(after).toContain('Retrait demandé');
    expect(after).toContain('Demande de retrait soumise');
    const application = await row(number);
    expect(application.withdrawal_pending).toBe(true);
    expect(application.status).toBe('submitted');
    const requests = await runtime.db('withdrawal_requests').where({ application_id: application.id });
    expect(requests).toMatchObject([
      { status: 'pending', comment: 'Nous avons vendu la maison.', previous_status: 'submitted' },
    ]);
    const mail = await waitForEmail(email, /Demande de retrait soumise/);
    expect(mail.text).toContain(number);
    expect(textOf((await agent.get(LIST)).text)).toContain('Soumis Retrait demandé');
  });

  it('sends no email when the user has turned that notice off in Mon profil', async () => {
    const { agent, email, number } = await applicant();
    await runtime
      .db('users')
      .where({ email })
      .update({ email_opt_outs: ['withdrawal'] });
    expect((await withdraw(agent, number)).status).toBe(303);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await emailsTo(email)).filter((m) => /retrait/i.test(m.subject))).toHaveLength(0);
  });

  it('requires a comment, with a length limit, beside the field', async () => {
    const { agent, number } = await applicant();
    const empty = await withdraw(agent, number, '   ');
    expect(empty.status).toBe(422);
    expect(textOf(empty.text)).toContain('Entrez un commentaire');
    const long = await withdraw(agent, number, 'x'.repeat(1001));
    expect(long.status).toBe(422);
    expect(textOf(long.text)).toContain('au plus 1 000 caractères');
    expect((await row(number)).withdrawal_pending).toBe(false);
  });

  it('makes one request, not two, from a double click or two tabs', async () => {
    const { agent, number } = await applicant();
    const page = await agent.get(withdrawPath(number));
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const send = () =>
      agent.post(withdrawPath(number)).type('form').send({ _csrf: token, comment: 'Double clic' });
    const results = await Promise.all([send(), send(), send()]);
    expect(results.every((r) => r.status === 303)).toBe(true);
    const application = await row(number);
    expect(await runtime.db('withdrawal_requests').where({ application_id: application.id })).toHaveLength(1);
    expect(
      await runtime
        .db('application_events')
        .where({ application_id: application.id, event: 'withdrawal_requested' }),
    ).toHaveLength(1);
  });

  it('lets the applicant cancel a pending request, and ask again later', async () => {
    const { agent, number } = await applicant();
    await withdraw(agent, number);
    const cancelled = await submitForm(
      agent,
      `${LIST}/${number}`,
      `${LIST}/${number}/annuler-le-retrait`,
      {},
    );
    expect(cancelled.status).toBe(303);
    expect(textOf((await agent.get(cancelled.headers.location!)).text)).toContain(
      `La demande de retrait de ${number} a été annulée.`,
    );
    expect((await row(number)).withdrawal_pending).toBe(false);
    expect((await withdraw(agent, number)).status).toBe(303);
    const application = await row(number);
    const statuses = (
      await runtime.db('withdrawal_requests').where({ application_id: application.id }).orderBy('id')
    ).map((r: { status: string }) => r.status);
    expect(statuses).toEqual(['cancelled', 'pending']);
  });

  it('greys the button out with the reason beside it once the permit is issued, and refuses a forged post', async () => {
    const { agent, number } = await applicant();
    await runtime.db('applications').where({ number }).update({ status: 'issued' });
    const page = await agent.get(`${LIST}/${number}`);
    expect(page.text).toContain('aria-disabled="true" aria-describedby="withdraw-why"');
    expect(textOf(page.text)).toContain('Le permis a été délivré : la demande ne peut plus être retirée.');
    expect(page.text).not.toContain(`href="${withdrawPath(number)}"`);
    expect((await agent.get(withdrawPath(number))).status).toBe(303);
    const forged = await submitForm(agent, LIST, withdrawPath(number), { comment: 'Forged' });
    expect(forged.status).toBe(409);
    expect((await row(number)).withdrawal_pending).toBe(false);
  });

  it('refuses strangers with 404, also when they post the form directly', async () => {
    const { number } = await applicant();
    const stranger = visitor(app);
    await registeredUser(stranger);
    expect((await stranger.get(withdrawPath(number))).status).toBe(404);
    const posted = await submitForm(stranger, LIST, withdrawPath(number), { comment: 'Not mine' });
    expect(posted.status).toBe(404);
    const cancel = await submitForm(stranger, LIST, `${LIST}/${number}/annuler-le-retrait`, {});
    expect(cancel.status).toBe(404);
    expect((await row(number)).withdrawal_pending).toBe(false);
  });

  it('lets a company member with Submit withdraw the company’s application, and not one with Pay only', async () => {
    const manager = visitor(app);
    await registeredUser(manager);
    const { id, pin } = await createdCompany(manager, 'Withdraw Co');
    const res = await submitForm(manager, NEW, NEW, { ...APPLICATION, onBehalfOf: String(id) });
    const number = decodeURIComponent(res.headers.location!.split('/').pop()!);
    const payer = visitor(app);
    const { email: payerEmail } = await registeredUser(payer);
    await submitForm(payer, COMPANY_TAB, ASSOCIATE, { pin });
    const payerId = (await runtime.db('users').where({ email: payerEmail }).first()).id;
    await bulk(manager, id, 'grant_pay', [payerId]);
    const page = textOf((await payer.get(`${LIST}/${number}`)).text);
    expect(page).toContain('Seuls le demandeur et, pour une entreprise');
    expect((await submitForm(payer, LIST, withdrawPath(number), { comment: 'Non' })).status).toBe(404);
    await bulk(manager, id, 'grant_submit', [payerId]);
    expect((await withdraw(payer, number)).status).toBe(303);
  });

  it('deletes a draft instead of withdrawing it', async () => {
    const agent = visitor(app);
    await registeredUser(agent);
    const saved = await submitForm(agent, NEW, NEW, { ...APPLICATION, action: 'draft' });
    const ref = decodeURIComponent(saved.headers.location!.split('/').pop()!);
    const page = await agent.get(`${LIST}/${ref}`);
    expect(textOf(page.text)).toContain('Supprimer le brouillon');
    // The question first, on a page of its own; the draft stays until it is answered.
    const asked = await submitForm(agent, `${LIST}/${ref}`, `${LIST}/${ref}/supprimer`, {});
    expect(asked.status).toBe(200);
    expect(textOf(asked.text)).toContain('Voulez-vous vraiment supprimer ce brouillon?');
    expect(asked.text).toContain(`href="${LIST}/${ref}"`);
    expect(await runtime.db('applications').where({ id: Number(ref.slice(1)) })).toHaveLength(1);
    const deleted = await submitForm(agent, `${LIST}/${ref}`, `${LIST}/${ref}/supprimer`, { confirm: 'yes' });
    expect(deleted.status).toBe(303);
    expect(await runtime.db('applications').where({ id: Number(ref.slice(1)) })).toHaveLength(0);
  });
});
