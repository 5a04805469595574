import type { Db } from '../../db/knex';
import type { CheckoutRequest, Outcome } from './provider';

export interface DevCheckout {
  id: string;
  reference: string;
  amount_cents: number;
  currency: string;
  description: string;
  return_url: string;
  status: 'open' | Outcome;
}

export async function insertCheckout(db: Db, checkout: CheckoutRequest & { id: string }): Promise<void> {
  await db('dev_checkouts').insert({
    id: checkout.id,
    reference: checkout.reference,
    amount_cents: checkout.amountCents,
    currency: checkout.currency,
    description: checkout.description,
    return_url: checkout.returnUrl,
  });
}

export async function findCheckout(db: Db, id: string): Promise<DevCheckout | undefined> {
  return db('dev_checkouts').where({ id }).first();
}

/** The page's decision, once: a checkout already decided keeps its first outcome (returned as it is). */
export async function decideCheckout(db: Db, id: string, outcome: Outcome): Promise<DevCheckout | undefined> {
  await db('dev_checkouts').where({ id, status: 'open' }).update({ status: outcome });
  return findCheckout(db, id);
}
