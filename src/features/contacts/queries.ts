import type { Db, Tx } from '../../db/knex';
import { Read } from '../../db/together';

type Conn = Db | Tx;
export interface ContactCompany {
  id: number;
  legal_name: string;
}

export function companyById(db: Conn, id: number): Read<ContactCompany | undefined> {
  return Read.of(
    db('companies').where({ id }).select('id', 'legal_name').limit(1),
    (rows: ContactCompany[]) => rows[0],
  );
}

/** The company whose own PIN this is (the city's contractor PIN is for claiming a record, not this). */
export async function companyByPin(tx: Tx, pinHash: Buffer): Promise<ContactCompany | undefined> {
  return tx('companies').where({ pin_hash: pinHash }).first('id', 'legal_name');
}

export async function setContact(tx: Tx, applicationId: number, companyId: number | null): Promise<void> {
  await tx('applications').where({ id: applicationId }).update({ contact_company_id: companyId });
}
