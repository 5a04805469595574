import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/knex';
import type { Lang } from '../../i18n/i18n';
import { InvalidNotification, type CheckoutReport, type Outcome, type PaymentProvider } from './provider';
import * as q from './dev-queries';

/** How old a notification may be: an older one, even correctly signed, is a replay. */
const TOLERANCE_SECONDS = 300;
export const DEV_SIGNATURE_HEADER = 'x-dev-payment-signature';

/** The job that delivers a development notification, and what it carries (the exact bytes, signed). */
export const DEV_NOTIFICATION_TASK = 'dev_payment_notification';
export interface DevNotification {
  body: string;
  signature: string;
}

/**
 * The development payment page's provider (outside production only): checkouts kept in the database,
 * a page with Approuver / Refuser / Annuler (dev-routes.ts), and notifications signed like a real
 * provider's (HMAC-SHA256 over "timestamp.body", Stripe's scheme), which the portal verifies the same way.
 */
export function devPaymentProvider(
  db: Db,
  secret: string,
  pageUrl: (checkoutId: string, lang: Lang) => string,
) {
  const sign = (timestamp: number, body: string) =>
    createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

  const reportOf = (checkout: q.DevCheckout): CheckoutReport | undefined =>
    checkout.status === 'open'
      ? undefined
      : {
          checkoutId: checkout.id,
          reference: checkout.reference,
          outcome: checkout.status as Outcome,
          amountCents: checkout.amount_cents,
          currency: checkout.currency,
          providerPaymentId: checkout.status === 'paid' ? `devpay_${checkout.id}` : undefined,
        };

  const provider: PaymentProvider & {
    /** The page's decision, and the signed notification the provider sends about it. */
    decide(checkoutId: string, outcome: Outcome): Promise<{ body: string; signature: string } | undefined>;
    checkout(checkoutId: string): Promise<q.DevCheckout | undefined>;
    /** Signs a body as the provider would (tests forge and replay with it). */
    sign(body: string, timestamp?: number): string;
  } = {
    name: 'dev',

    async createCheckout(request) {
      const checkoutId = `devcs_${randomBytes(12).toString('hex')}`;
      await q.insertCheckout(db, { id: checkoutId, ...request });
      return { checkoutId, url: pageUrl(checkoutId, request.lang) };
    },

    verifyNotification(body, headers) {
      const header = headers[DEV_SIGNATURE_HEADER];
      const match = typeof header === 'string' && /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
      if (!match) throw new InvalidNotification('no signature');
      const timestamp = Number(match[1]);
      if (Math.abs(Date.now() / 1000 - timestamp) > TOLERANCE_SECONDS) throw new InvalidNotification('stale');
      const expected = Buffer.from(sign(timestamp, body.toString('utf8')), 'hex');
      if (!timingSafeEqual(expected, Buffer.from(match[2]!, 'hex')))
        throw new InvalidNotification('signature');
      const event = JSON.parse(body.toString('utf8')) as CheckoutReport;
      return event;
    },

    async checkoutReport(checkoutId) {
      const checkout = await q.findCheckout(db, checkoutId);
      return checkout && reportOf(checkout);
    },

    async decide(checkoutId, outcome) {
      const checkout = await q.decideCheckout(db, checkoutId, outcome);
      if (!checkout) return undefined;
      const body = JSON.stringify(reportOf(checkout));
      return { body, signature: provider.sign(body) };
    },

    checkout: (checkoutId) => q.findCheckout(db, checkoutId),

    // The development provider moves no money: it answers with an id, as a provider confirms a refund.
    async refund() {
      return `devre_${randomBytes(12).toString('hex')}`;
    },

    sign(body, timestamp = Math.floor(Date.now() / 1000)) {
      return `t=${timestamp},v1=${sign(timestamp, body)}`;
    },
  };
  return provider;
}

export type DevPaymentProvider = ReturnType<typeof devPaymentProvider>;
