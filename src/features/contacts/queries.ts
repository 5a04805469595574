import type { Db, Tx } from '../../db/knex';

type Conn = Db | Tx;
export interface ContactCompany {
  id: number;
  legal_name: string;
}

export async function companyById(db: Conn, id: number): Promise<ContactCompany | undefined> {
  return db('companies').where({ id }).first('id', 'legal_name');
}

/** The company whose own PIN this is (the city's contractor PIN is for claiming a record, not this). */
export async function companyByPin(tx: Tx, pinHash: Buffer): Promise<ContactCompany | undefined> {
  return tx('companies').where({ pin_hash: pinHash }).first('id', 'legal_name');
}

export async function setContact(tx: Tx, applicationId: number, companyId: number | null): Promise<void> {
  await tx('applications').where({ id: applicationId }).update({ contact_company_id: companyId });
}
