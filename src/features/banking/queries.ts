import type { Db, Tx } from '../../db/knex';

export async function sealedAccount(
  db: Db,
  companyId: number,
): Promise<{ bank_sealed: string | null; bank_changed_at: Date | null } | undefined> {
  return db('companies').where({ id: companyId }).first('bank_sealed', 'bank_changed_at');
}

export async function setSealedAccount(tx: Tx, companyId: number, sealed: string): Promise<void> {
  await tx('companies')
    .where({ id: companyId })
    .update({ bank_sealed: sealed, bank_changed_at: tx.fn.now() });
}
