import type { Lang } from '../../i18n/i18n';

/**
 * A payment provider's hosted page, seen from the portal: the portal never sees a card number. One
 * interface for the development page (dev-provider.ts) and a real provider in production.
 */
export interface CheckoutRequest {
  /** The portal's payment id, which the provider sends back with every notification. */
  reference: string;
  amountCents: number;
  currency: 'CAD';
  /** What the payer reads on the provider's page. */
  description: string;
  /** Where the provider sends the browser back, with ?checkout=ID added by the portal. */
  returnUrl: string;
  /** The payer's language, for the provider's page. */
  lang: Lang;
}

export interface Checkout {
  checkoutId: string;
  /** The provider's page, where the browser goes to pay. */
  url: string;
}

export type Outcome = 'paid' | 'declined' | 'cancelled' | 'expired';

/** What the provider says of a checkout: in a signed notification, or when asked on the browser's return. */
export interface CheckoutReport {
  checkoutId: string;
  reference: string;
  outcome: Outcome;
  amountCents: number;
  currency: string;
  /** The provider's id of the money movement, for a refund. */
  providerPaymentId?: string;
}

/** A notification the provider did not sign, or that was altered or is too old: refused, nothing changes. */
export class InvalidNotification extends Error {}

export interface PaymentProvider {
  name: string;
  createCheckout(request: CheckoutRequest): Promise<Checkout>;
  /** Checks the signature (and age) of a notification's exact bytes, and reads it; throws InvalidNotification. */
  verifyNotification(
    body: Buffer,
    headers: Record<string, string | string[] | undefined>,
  ): CheckoutReport | undefined;
  /** Asks the provider how a checkout stands (the browser's return carries only its id); undefined while open. */
  checkoutReport(checkoutId: string): Promise<CheckoutReport | undefined>;
  /** Gives back part of a payment; the provider's id of the refund. Throws when the provider refuses. */
  refund(request: { providerPaymentId: string; amountCents: number; reference: string }): Promise<string>;
  /** The payer came back without paying: the provider closes the checkout (when it keeps them open). */
  cancelCheckout?(checkoutId: string): Promise<CheckoutReport | undefined>;
}
