import type { Knex } from 'knex';
import { keyedPinHash, pinHashKey } from '../src/crypto/pin-vault';
import type { DataContext } from '../src/db/context';

/** Every column that holds a PIN hash: until now a plain SHA-256 digest, from now on under a key. */
const COLUMNS = [
  ['companies', 'pin_hash'],
  ['companies', 'city_pin_hash'],
  ['client_records', 'pin_hash'],
] as const;

const BATCH = 1000;

/**
 * Company and client PINs were stored as an unsalted SHA-256 of about 42 bits: a copy of the database
 * alone gave them back. Each stored digest is put under HMAC-SHA256 with a key derived from the session
 * secret, which is exactly how the portal now hashes a PIN typed (crypto/pin-vault.ts), so no PIN has
 * to be known or reissued. In batches, one statement per thousand rows.
 */
export async function up(knex: Knex, context: DataContext): Promise<void> {
  const key = pinHashKey(context.sessionSecret);
  for (const [table, column] of COLUMNS) {
    for (let afterId = 0; ;) {
      const rows: { id: number; digest: Buffer }[] = await knex(table)
        .select('id', `${column} as digest`)
        .whereNotNull(column)
        .andWhere('id', '>', afterId)
        .orderBy('id')
        .limit(BATCH);
      if (!rows.length) break;
      await knex.raw(
        `UPDATE ?? AS t SET ?? = v.hash
         FROM unnest(?::bigint[], ?::bytea[]) AS v(id, hash) WHERE t.id = v.id`,
        [table, column, rows.map((r) => r.id), rows.map((r) => keyedPinHash(key, r.digest))],
      );
      afterId = rows[rows.length - 1]!.id;
    }
  }
}

/**
 * A keyed hash cannot be turned back into the plain digest. Rolling back past this migration (only ever
 * done with the whole schema, `npm run migrate -- down`) leaves the keyed hashes: with the older code,
 * existing PINs then stop matching and managers make new ones ("Créer un nouveau code NIP").
 */
export async function down(): Promise<void> {}
