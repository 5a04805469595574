import type { Db, Tx } from '../../db/knex';
import { PERMISSION_COLUMNS, type Permission } from '../../domain/company-permissions';

/** The companies for which this user holds a permission (Manage counts for every one). */
export async function companiesWhereMay(
  db: Db | Tx,
  userId: number,
  permission: Permission,
): Promise<{ id: number; legal_name: string }[]> {
  return db('companies')
    .join('company_members', 'company_members.company_id', 'companies.id')
    .where('company_members.user_id', userId)
    .andWhere(
      (w) =>
        void w
          .where('company_members.can_manage', true)
          .orWhere(`company_members.${PERMISSION_COLUMNS[permission]}`, true),
    )
    .select('companies.id', 'companies.legal_name')
    .orderBy('companies.legal_name');
}
