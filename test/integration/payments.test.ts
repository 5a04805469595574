import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submittedApplication } from '../support/applications';
import { csrfFrom, textOf, visitor, type Visitor } from '../support/browser-like';
import { companyMember, createdCompany } from '../support/companies';
import { waitForEmail } from '../support/mailbox';
import { pdfText } from '../support/pdf';
import { signedInStaff, staffAct } from '../support/staff';

const portal = testPortal({ rateLimitScale: 20 });
const { app, runtime } = portal;
const db = runtime.db;
const dev = runtime.services.devPayments!;
afterAll(() => portal.close());

const UNPAID = '/fr/frais-impayes';

/** An application of this applicant's at Paiement exigible, with one fee of `amount` dollars. */
async function feeDue(applicant: Visitor, amount = '1 736,97', fields: Record<string, string> = {}) {
  const number = await submittedApplication(applicant, 'fr', fields);
  const { agent: staff } = await signedInStaff(app, runtime);
  await staffAct(staff, number, 'startReview');
  expect(
    (await staffAct(staff, number, 'assessFees', { feeAmount: amount, feesReason: 'Essai' })).status,
  ).toBe(303);
  const application = await db('applications').where({ number }).first();
  const fee = await db('fees').where({ application_id: application.id, status: 'due' }).first();
  return { number, application, fee };
}

/** Ticks these fees on Frais impayés and presses Payer; returns the answer (303 to the provider's page). */
async function pay(agent: Visitor, feeIds: number[]) {
  const page = await agent.get(UNPAID);
  const body = [`_csrf=${encodeURIComponent(csrfFrom(page.text))}`, ...feeIds.map((id) => `fees=${id}`)].join(
    '&',
  );
  return agent.post(UNPAID).type('form').send(body);
}

/** On the development payment page, presses one of its buttons; returns the browser's way back. */
async function decide(agent: Visitor, providerPage: string, outcome: 'paid' | 'declined' | 'cancelled') {
  const page = await agent.get(providerPage);
  expect(page.status).toBe(200);
  const res = await agent
    .post(providerPage)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), outcome });
  expect(res.status).toBe(303);
  return res.headers.location!;
}

/** Waits until the worker has delivered the development provider's notifications (both copies). */
async function notificationsDelivered() {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { rows } = await db.raw(
      `SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'dev_payment_notification'`,
    );
    if (rows[0].n === 0) return;
    if (Date.now() > deadline) throw new Error('development notifications not delivered');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const paidEvents = async (paymentId: number) =>
  (await db('payment_events').where({ payment_id: paymentId, event: 'paid' })).length;

describe('paying fees on the development payment page (J9)', () => {
  it('pays a fee: the provider’s page, the return, the receipt; the notification twice records one payment', async () => {
    const applicant = visitor(app);
    const { email } = await registeredUser(applicant);
    const { number, application, fee } = await feeDue(applicant);
    const unpaid = await applicant.get(UNPAID);
    expect(unpaid.text).toContain(`name="fees" value="${fee.id}"`);

    const started = await pay(applicant, [fee.id]);
    expect(started.status).toBe(303);
    const providerPage = started.headers.location!;
    expect(providerPage).toMatch(/^\/fr\/dev\/paiement\/devcs_[0-9a-f]{24}$/);
    const shown = textOf((await applicant.get(providerPage)).text);
    expect(shown).toContain('1 736,97 $ (CAD)');
    // While it is open, the fee is held: nobody starts a second payment of it.
    expect((await pay(applicant, [fee.id])).status).toBe(409);

    const back = await decide(applicant, providerPage, 'paid');
    expect(back).toMatch(/^\/fr\/paiement\/retour\?checkout=devcs_/);
    const confirmation = textOf((await applicant.get(back)).text);
    expect(confirmation).toContain('Paiement reçu');
    expect(confirmation).toMatch(/Votre paiement de 1 736,97 \$ est reçu\. Reçu REC-\d{4}-\d{6}/);

    await notificationsDelivered();
    const payment = await db('payments')
      .where({ checkout_id: back.split('=')[1] })
      .first();
    expect(payment).toMatchObject({ status: 'paid', amount_cents: 173_697, currency: 'CAD' });
    expect(await paidEvents(payment.id)).toBe(1);
    expect(await db('fees').where({ id: fee.id }).first()).toMatchObject({
      status: 'paid',
      paid_by_payment_id: payment.id,
      held_by_payment_id: null,
    });
    // Paid: the review goes on (the permit can be issued), and nothing is left to pay.
    expect((await db('applications').where({ id: application.id }).first()).status).toBe('in_review');
    const events = await db('application_events').where({ application_id: application.id }).pluck('event');
    expect(events.filter((e) => e === 'fees_paid')).toHaveLength(1);
    expect(textOf((await applicant.get(UNPAID)).text)).toContain('Aucuns frais à payer.');

    // The receipt: emailed with its PDF, downloadable, listing the fee and the total in both languages.
    const mail = await waitForEmail(email, /^Reçu REC-/);
    const attached = mail.attachments.find((a) => a.contentType === 'application/pdf')!;
    const text = await pdfText(attached.content);
    for (const words of ['Reçu / Receipt', payment.receipt_number, number, '1 736,97 $ / $1,736.97'])
      expect(text).toContain(words);
    const download = await applicant.get(`/fr/recus/${payment.receipt_number}.pdf`);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="${payment.receipt_number}.pdf"`,
    );
    const stranger = visitor(app);
    await registeredUser(stranger);
    expect((await stranger.get(`/fr/recus/${payment.receipt_number}.pdf`)).status).toBe(404);
    // Another person cannot look at this payment's return, nor staff at a client's fee pages.
    expect((await stranger.get(back)).status).toBe(404);
    const { agent: staffMember } = await signedInStaff(app, runtime);
    expect((await staffMember.get(UNPAID)).status).toBe(403);
    expect((await staffMember.get(back)).status).toBe(403);
    expect((await visitor(app).get(UNPAID)).status).toBe(303);
  });

  it('leaves the fee unpaid when the payment is declined or cancelled, with a clear message, and lets it be paid again', async () => {
    const applicant = visitor(app);
    await registeredUser(applicant);
    const { fee } = await feeDue(applicant, '500');
    for (const [outcome, words] of [
      ['declined', 'Votre paiement a été refusé par le fournisseur. Les frais restent à payer'],
      ['cancelled', 'Vous avez annulé le paiement. Les frais restent à payer.'],
    ] as const) {
      const started = await pay(applicant, [fee.id]);
      const back = await decide(applicant, started.headers.location!, outcome);
      expect(textOf((await applicant.get(back)).text)).toContain(words);
      expect(await db('fees').where({ id: fee.id }).first()).toMatchObject({
        status: 'due',
        held_by_payment_id: null,
      });
    }
    await notificationsDelivered();
    expect(
      await db('payments')
        .whereIn('id', db('payment_fees').where({ fee_id: fee.id }).select('payment_id'))
        .pluck('status'),
    ).toEqual(expect.arrayContaining(['declined', 'cancelled']));
    const again = await pay(applicant, [fee.id]);
    expect(again.status).toBe(303);
  });

  it('asks for a tick: nothing ticked is refused beside the list, and nothing is started', async () => {
    const applicant = visitor(app);
    await registeredUser(applicant);
    await feeDue(applicant, '75');
    const before = await db('payments').count<{ n: string }>('* as n').first();
    const res = await pay(applicant, []);
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('Cochez au moins des frais à payer.');
    expect((await db('payments').count<{ n: string }>('* as n').first())!.n).toBe(before!.n);
  });
});

describe('the provider’s word, in any order and however often', () => {
  async function openPayment() {
    const applicant = visitor(app);
    await registeredUser(applicant);
    const { fee, application } = await feeDue(applicant, '320');
    const started = await pay(applicant, [fee.id]);
    const checkoutId = started.headers.location!.split('/').pop()!;
    const payment = await db('payments').where({ checkout_id: checkoutId }).first();
    return { applicant, fee, application, checkoutId, payment };
  }
  const report = (payment: { id: number; amount_cents: number }, checkoutId: string, changes = {}) =>
    JSON.stringify({
      checkoutId,
      reference: String(payment.id),
      outcome: 'paid',
      amountCents: payment.amount_cents,
      currency: 'CAD',
      providerPaymentId: `devpay_${checkoutId}`,
      ...changes,
    });
  const webhook = (body: string, signature: string) =>
    visitor(app)
      .post('/webhooks/payments')
      .set('content-type', 'application/json')
      .set('x-dev-payment-signature', signature)
      .send(body);

  it('refuses forged, stale and tampered notifications, and changes nothing', async () => {
    const { payment, checkoutId, fee } = await openPayment();
    const body = report(payment, checkoutId);
    expect((await webhook(body, `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`)).status).toBe(400);
    expect((await webhook(body, dev.sign(body, Math.floor(Date.now() / 1000) - 3600))).status).toBe(400);
    expect((await webhook(body, 'nonsense')).status).toBe(400);
    // Signed, but the amount differs from the checkout's: refused, and logged for staff.
    const tampered = report(payment, checkoutId, { amountCents: 1 });
    const answer = await webhook(tampered, dev.sign(tampered));
    expect(answer.body).toMatchObject({ result: 'mismatch' });
    const otherCurrency = report(payment, checkoutId, { currency: 'USD' });
    expect((await webhook(otherCurrency, dev.sign(otherCurrency))).body).toMatchObject({
      result: 'mismatch',
    });
    expect(await db('payments').where({ id: payment.id }).first()).toMatchObject({ status: 'pending' });
    expect(await db('fees').where({ id: fee.id }).first()).toMatchObject({ status: 'due' });
    expect(await db('payment_events').where({ payment_id: payment.id, event: 'mismatch' })).toHaveLength(2);
    const refused = await db('audit_events').where({ event: 'payment.notification_refused' });
    expect(refused.length).toBeGreaterThanOrEqual(3);
  });

  it('records one payment when the notification and the browser return arrive at the same moment, twice', async () => {
    for (let round = 0; round < 3; round += 1) {
      const { applicant, payment, checkoutId, fee } = await openPayment();
      await dev.decide(checkoutId, 'paid');
      const body = report(payment, checkoutId);
      const answers = await Promise.all([
        webhook(body, dev.sign(body)).then((r) => r),
        webhook(body, dev.sign(body)).then((r) => r),
        applicant.get(`/fr/paiement/retour?checkout=${checkoutId}`).then((r) => r),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(await paidEvents(payment.id)).toBe(1);
      expect(await db('fees').where({ id: fee.id }).first()).toMatchObject({
        status: 'paid',
        paid_by_payment_id: payment.id,
      });
      const receipts = await db('payments').where({ id: payment.id }).whereNotNull('receipt_number');
      expect(receipts).toHaveLength(1);
    }
  });

  it('lets only one of two people paying the same company fee at once start, and never pays it twice', async () => {
    const manager = visitor(app);
    await registeredUser(manager);
    const company = await createdCompany(manager, 'Paiements Simultanés');
    const { agent: payer } = await companyMember(app, db, company.id, { can_pay: true });
    const { fee } = await feeDue(manager, '640', { onBehalfOf: String(company.id) });
    const [a, b] = await Promise.all([
      pay(manager, [fee.id]).then((r) => r),
      pay(payer, [fee.id]).then((r) => r),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    const loser = a.status === 409 ? a : b;
    expect(textOf(loser.text)).toContain('Un paiement de ces frais est déjà en cours');
    expect(await db('payment_fees').where({ fee_id: fee.id })).toHaveLength(1);
  });

  it('refuses to pay fees the person may not pay (another’s, or a company’s without Payer)', async () => {
    const owner = visitor(app);
    await registeredUser(owner);
    const { fee } = await feeDue(owner, '90');
    const other = visitor(app);
    await registeredUser(other);
    const res = await pay(other, [fee.id]);
    expect(res.status).toBe(409);
    expect(await db('payment_fees').where({ fee_id: fee.id })).toHaveLength(0);
  });
});

describe('refunds on a withdrawal (J9)', () => {
  it('suggests the table’s refund, never pays back more than was paid, and gives it back through the provider', async () => {
    const applicant = visitor(app);
    const { email } = await registeredUser(applicant);
    const { number, application, fee } = await feeDue(applicant, '1 000');
    const back = await decide(applicant, (await pay(applicant, [fee.id])).headers.location!, 'paid');
    await applicant.get(back);
    const payment = await db('payments')
      .where({ checkout_id: back.split('=')[1] })
      .first();
    expect(payment.status).toBe('paid');

    // The applicant asks to withdraw; staff decide.
    const withdrawPath = `/fr/services-code-batiment/demandes/${number}/retirer`;
    const form = await applicant.get(withdrawPath);
    expect(
      (
        await applicant
          .post(withdrawPath)
          .type('form')
          .send({ _csrf: csrfFrom(form.text), comment: 'Projet abandonné' })
      ).status,
    ).toBe(303);
    const request = await db('withdrawal_requests').where({ application_id: application.id }).first();
    const { agent: staff } = await signedInStaff(app, runtime);
    const decisionPath = `/fr/admin/demandes-de-retrait/${request.id}`;
    const page = await staff.get(decisionPath);
    // Fees assessed (review done): 50 % of 1 000,00 $ by the example table.
    const shown = textOf(page.text);
    expect(shown).toContain('Frais payés (remboursables) 1 000,00 $');
    expect(shown).toContain('Étape atteinte Frais établis');
    expect(shown).toContain('Remboursement suggéré par le barème 500,00 $ (50 %)');
    expect(page.text).toMatch(
      /name="amount"[^>]*value="500,00\u00a0\$"|value="500,00\u00a0\$"[^>]*name="amount"/,
    );

    const decideWith = (amount: string) =>
      staff
        .post(decisionPath)
        .type('form')
        .send({
          _csrf: csrfFrom(page.text),
          decision: 'approve',
          staffComment: 'Remboursé',
          refund: 'partial',
          amount,
        });
    const tooMuch = await decideWith('1 000,01');
    expect(tooMuch.status).toBe(422);
    expect(await db('refunds').where({ application_id: application.id })).toHaveLength(0);
    expect((await db('withdrawal_requests').where({ id: request.id }).first()).status).toBe('pending');

    expect((await decideWith('600')).status).toBe(303);
    const [refund] = await db('refunds').where({ application_id: application.id });
    expect(refund).toMatchObject({ payment_id: payment.id, amount_cents: 60_000, status: 'done' });
    expect(refund.provider_refund_id).toMatch(/^devre_/);
    expect(await db('payment_events').where({ payment_id: payment.id, event: 'refunded' })).toHaveLength(1);
    expect((await db('applications').where({ id: application.id }).first()).status).toBe('withdrawn');
    const mail = await waitForEmail(email, /Retrait approuvé/);
    expect(mail.text).toContain('Un remboursement partiel de 600,00\u00a0$ sera versé.');
    expect(textOf((await applicant.get(`/fr/services-code-batiment/demandes/${number}`)).text)).toContain(
      'Remboursement 600,00 $',
    );
  });
});

describe('payments staff must look at', () => {
  it('records a late “paid” for fees another payment already paid as paid twice, shown to staff, paid once', async () => {
    const applicant = visitor(app);
    await registeredUser(applicant);
    const { fee } = await feeDue(applicant, '250');
    // A first checkout, cancelled; a second one pays the fee.
    const first = await pay(applicant, [fee.id]);
    const firstId = first.headers.location!.split('/').pop()!;
    await applicant.get(await decide(applicant, first.headers.location!, 'cancelled'));
    const second = await pay(applicant, [fee.id]);
    await applicant.get(await decide(applicant, second.headers.location!, 'paid'));
    // Then the provider says the first was paid after all (a late, out-of-order report).
    const payment = await db('payments').where({ checkout_id: firstId }).first();
    const body = JSON.stringify({
      checkoutId: firstId,
      reference: String(payment.id),
      outcome: 'paid',
      amountCents: payment.amount_cents,
      currency: 'CAD',
    });
    const answer = await visitor(app)
      .post('/webhooks/payments')
      .set('content-type', 'application/json')
      .set('x-dev-payment-signature', dev.sign(body))
      .send(body);
    expect(answer.body).toMatchObject({ result: 'overpaid' });
    const paidBy = await db('fees').where({ id: fee.id }).first();
    expect(paidBy.paid_by_payment_id).not.toBe(payment.id);
    expect(await db('payment_events').where({ payment_id: payment.id, event: 'overpaid' })).toHaveLength(1);
    const { agent: staff } = await signedInStaff(app, runtime);
    const page = textOf((await staff.get('/fr/admin/paiements-a-verifier')).text);
    expect(page).toContain('Payé en double : les frais l’étaient déjà (à rembourser)');
    expect(page).toContain('250,00 $');
  });
});
