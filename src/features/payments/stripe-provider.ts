import Stripe from 'stripe';
import { InvalidNotification, type CheckoutReport, type PaymentProvider } from './provider';

type Session = Stripe.Checkout.Session;

/** How long Stripe keeps a checkout open (its minimum is 30 minutes): an abandoned one expires, freeing the fees. */
const CHECKOUT_MINUTES = 30;

function baseOf(session: Session) {
  return {
    checkoutId: session.id,
    reference: session.client_reference_id ?? '',
    amountCents: session.amount_total ?? 0,
    currency: session.currency ?? '',
  };
}

/**
 * What a Checkout Session says of the payment: paid once complete and paid; expired; otherwise still
 * open (or complete but the money not yet there, for delayed methods): undefined.
 */
export function reportOfSession(session: Session): CheckoutReport | undefined {
  if (session.status === 'complete' && session.payment_status === 'paid') {
    const intent = session.payment_intent;
    return {
      ...baseOf(session),
      outcome: 'paid',
      providerPaymentId: typeof intent === 'string' ? intent : intent?.id,
    };
  }
  if (session.status === 'expired') return { ...baseOf(session), outcome: 'expired' };
  return undefined;
}

/** The Checkout events the portal listens to; any other event is acknowledged and ignored. */
export function reportOfEvent(event: Stripe.Event): CheckoutReport | undefined {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.expired':
      return reportOfSession(event.data.object);
    case 'checkout.session.async_payment_failed':
      return { ...baseOf(event.data.object), outcome: 'declined' };
    default:
      return undefined;
  }
}

/**
 * Stripe Checkout through its official SDK, in Canadian dollars: the payer pays on Stripe's page; the
 * webhook's signature is checked by the SDK (constructEvent: HMAC and a 5-minute tolerance).
 */
export function stripePaymentProvider(options: {
  secretKey: string;
  webhookSecret: string;
  /** The portal's public origin: Stripe sends the browser back to absolute addresses. */
  baseUrl: string;
  /** Another address for Stripe's API (a Stripe-compatible test server, such as the load's). */
  apiUrl?: string;
}): PaymentProvider {
  const api = options.apiUrl ? new URL(options.apiUrl) : undefined;
  const stripe = new Stripe(
    options.secretKey,
    api
      ? { host: api.hostname, port: Number(api.port), protocol: api.protocol === 'http:' ? 'http' : 'https' }
      : {},
  );
  return {
    name: 'stripe',

    async createCheckout(request) {
      const back = `${options.baseUrl}${request.returnUrl}?checkout={CHECKOUT_SESSION_ID}`;
      // "Back" on Stripe's page: the portal then expires the session at once, freeing the fees.
      const session = await stripe.checkout.sessions.create({
        mode: 'payment',
        locale: request.lang === 'fr' ? 'fr-CA' : 'en',
        client_reference_id: request.reference,
        metadata: { reference: request.reference },
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: request.currency.toLowerCase(),
              unit_amount: request.amountCents,
              product_data: { name: request.description },
            },
          },
        ],
        success_url: back,
        cancel_url: `${back}&cancelled=1`,
        expires_at: Math.floor(Date.now() / 1000) + CHECKOUT_MINUTES * 60,
      });
      return { checkoutId: session.id, url: session.url! };
    },

    verifyNotification(body, headers) {
      const signature = headers['stripe-signature'];
      if (typeof signature !== 'string') throw new InvalidNotification('no signature');
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(body, signature, options.webhookSecret);
      } catch (error) {
        throw new InvalidNotification((error as Error).message);
      }
      return reportOfEvent(event);
    },

    async checkoutReport(checkoutId) {
      return reportOfSession(await stripe.checkout.sessions.retrieve(checkoutId));
    },

    async refund(request) {
      const refund = await stripe.refunds.create(
        {
          payment_intent: request.providerPaymentId,
          amount: request.amountCents,
          metadata: { reference: request.reference },
        },
        // The same refund asked twice (a retry) is made once.
        { idempotencyKey: `refund-${request.reference}` },
      );
      return refund.id;
    },

    async cancelCheckout(checkoutId) {
      try {
        return reportOfSession(await stripe.checkout.sessions.expire(checkoutId));
      } catch {
        // Already complete (paid meanwhile) or expired: say how it stands.
        return reportOfSession(await stripe.checkout.sessions.retrieve(checkoutId));
      }
    },
  };
}
