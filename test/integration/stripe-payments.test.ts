import Stripe from 'stripe';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidNotification } from '../../src/features/payments/provider';
import { reportOfSession, stripePaymentProvider } from '../../src/features/payments/stripe-provider';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submittedApplication } from '../support/applications';
import { visitor } from '../support/browser-like';
import { signedInStaff, staffAct } from '../support/staff';

/**
 * Stripe cannot be reached from here (no internet): its boundary is tested with the SDK's own helpers —
 * notifications signed by `webhooks.generateTestHeaderString`, checked by `webhooks.constructEvent` in
 * the provider — and the portal's mapping of Checkout Sessions and events.
 */
const SECRET = 'whsec_test_portal_signing_secret';
const sdk = new Stripe('sk_test_portal');
const provider = stripePaymentProvider({
  secretKey: 'sk_test_portal',
  webhookSecret: SECRET,
  baseUrl: 'https://portal.example',
});

function session(fields: Partial<Stripe.Checkout.Session>): Stripe.Checkout.Session {
  return {
    id: 'cs_test_a1',
    object: 'checkout.session',
    client_reference_id: '42',
    amount_total: 173_697,
    currency: 'cad',
    status: 'complete',
    payment_status: 'paid',
    payment_intent: 'pi_test_1',
    ...fields,
  } as Stripe.Checkout.Session;
}

function event(type: string, object: Stripe.Checkout.Session): string {
  return JSON.stringify({
    id: 'evt_test_1',
    object: 'event',
    type,
    api_version: '2025-01-01',
    created: Math.floor(Date.now() / 1000),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  });
}

const signed = (payload: string, options: { secret?: string; timestamp?: number } = {}) => ({
  'stripe-signature': sdk.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? SECRET,
    ...(options.timestamp ? { timestamp: options.timestamp } : {}),
  }),
});

describe('Stripe Checkout, at the boundary', () => {
  it('maps sessions: paid when complete and paid, expired, otherwise still open', () => {
    expect(reportOfSession(session({}))).toEqual({
      checkoutId: 'cs_test_a1',
      reference: '42',
      amountCents: 173_697,
      currency: 'cad',
      outcome: 'paid',
      providerPaymentId: 'pi_test_1',
    });
    expect(reportOfSession(session({ status: 'expired', payment_status: 'unpaid' }))?.outcome).toBe(
      'expired',
    );
    expect(reportOfSession(session({ status: 'open', payment_status: 'unpaid' }))).toBeUndefined();
    // Complete but not yet paid (a delayed method): the answer waits for async_payment_succeeded.
    expect(reportOfSession(session({ payment_status: 'unpaid' }))).toBeUndefined();
  });

  it('accepts a notification the SDK signed, and maps its events', () => {
    const paid = event('checkout.session.completed', session({}));
    expect(provider.verifyNotification(Buffer.from(paid), signed(paid))).toMatchObject({ outcome: 'paid' });
    const failed = event('checkout.session.async_payment_failed', session({ payment_status: 'unpaid' }));
    expect(provider.verifyNotification(Buffer.from(failed), signed(failed))).toMatchObject({
      outcome: 'declined',
    });
    const other = event('customer.created', session({}));
    expect(provider.verifyNotification(Buffer.from(other), signed(other))).toBeUndefined();
  });

  it('refuses a notification signed with another secret, altered, too old, or unsigned', () => {
    const paid = event('checkout.session.completed', session({}));
    const refused = (body: string, headers: Record<string, string>) =>
      expect(() => provider.verifyNotification(Buffer.from(body), headers)).toThrow(InvalidNotification);
    refused(paid, signed(paid, { secret: 'whsec_someone_else' }));
    refused(paid.replace('173697', '1'), signed(paid));
    refused(paid, signed(paid, { timestamp: Math.floor(Date.now() / 1000) - 3600 }));
    refused(paid, {});
  });
});

describe('a portal configured for Stripe', () => {
  const portal = testPortal({
    rateLimitScale: 20,
    env: { PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_portal', STRIPE_WEBHOOK_SECRET: SECRET },
  });
  const { app, runtime } = portal;
  const db = runtime.db;
  afterAll(() => portal.close());

  it('has no development payment page, and settles a payment from Stripe’s signed webhook, once', async () => {
    expect(runtime.services.devPayments).toBeUndefined();
    expect((await visitor(app).get('/fr/dev/paiement/devcs_000000000000000000000000')).status).toBe(404);

    // A payment as createCheckout leaves it (Stripe's page itself cannot be reached from here).
    const applicant = visitor(app);
    const { email } = await registeredUser(applicant);
    const number = await submittedApplication(applicant);
    const { agent: staff } = await signedInStaff(app, runtime);
    await staffAct(staff, number, 'startReview');
    await staffAct(staff, number, 'assessFees', { feeAmount: '1 736,97', feesReason: 'Essai' });
    const application = await db('applications').where({ number }).first();
    const fee = await db('fees').where({ application_id: application.id }).first();
    const user = await db('users').where({ email }).first();
    const [payment] = await db('payments')
      .insert({
        payer_user_id: user.id,
        payer_name: 'Vivian Trainer',
        amount_cents: 173_697,
        provider: 'stripe',
      })
      .returning('id');
    const checkoutId = `cs_test_${payment.id}_${Date.now()}`;
    await db('payments').where({ id: payment.id }).update({ checkout_id: checkoutId });
    await db('payment_fees').insert({ payment_id: payment.id, fee_id: fee.id, amount_cents: 173_697 });
    await db('fees').where({ id: fee.id }).update({ held_by_payment_id: payment.id });

    const body = event(
      'checkout.session.completed',
      session({ id: checkoutId, client_reference_id: String(payment.id) }),
    );
    const post = () =>
      visitor(app)
        .post('/webhooks/payments')
        .set('content-type', 'application/json')
        .set(signed(body))
        .send(body);
    const [first, second] = [await post(), await post()];
    expect(first.body).toMatchObject({ result: 'paid' });
    expect(second.body).toMatchObject({ result: 'duplicate' });
    expect(await db('payments').where({ id: payment.id }).first()).toMatchObject({
      status: 'paid',
      provider_payment_id: 'pi_test_1',
    });
    expect((await db('fees').where({ id: fee.id }).first()).status).toBe('paid');
    expect((await db('applications').where({ id: application.id }).first()).status).toBe('in_review');
    // A forged one (another secret) is refused with 400.
    const forged = await visitor(app)
      .post('/webhooks/payments')
      .set('content-type', 'application/json')
      .set(signed(body, { secret: 'whsec_forger' }))
      .send(body);
    expect(forged.status).toBe(400);
  });
});
