import type { Db, Tx } from '../../db/knex';
import type { PermitType } from '../../domain/permit-types';
import { companiesWhereMay } from '../companies/queries';
import type { TemplateInput } from './schemas';

type Conn = Db | Tx;

export interface TemplateRow {
  id: number;
  company_id: number;
  name: string;
  permit_type: PermitType;
  description: string;
  notes: string;
  updated_by_name: string;
  updated_at: Date;
}

export async function templatesOf(conn: Conn, companyId: number): Promise<TemplateRow[]> {
  return conn('application_templates').where({ company_id: companyId }).orderByRaw('lower(name), id');
}

export async function templateOf(
  conn: Conn,
  companyId: number,
  id: number,
): Promise<TemplateRow | undefined> {
  return conn('application_templates').where({ company_id: companyId, id }).first();
}

const columns = (input: TemplateInput, by: { userId: number; name: string }) => ({
  name: input.name,
  permit_type: input.permitType,
  description: input.description,
  notes: input.notes,
  updated_by: by.userId,
  updated_by_name: by.name,
});

/** Inserts a template; undefined when the company already has one of that name (any case). */
export async function insertTemplate(
  conn: Conn,
  companyId: number,
  input: TemplateInput,
  by: { userId: number; name: string },
): Promise<number | undefined> {
  const [row] = await conn('application_templates')
    .insert({ company_id: companyId, ...columns(input, by) })
    .onConflict(conn.raw('(company_id, lower(name))'))
    .ignore()
    .returning('id');
  return row?.id;
}

/**
 * 'saved', 'missing', or 'nameTaken' (another template of the company has that name): the unique index
 * answers, so two people renaming at once cannot both take a name.
 */
export async function updateTemplate(
  conn: Conn,
  companyId: number,
  id: number,
  input: TemplateInput,
  by: { userId: number; name: string },
): Promise<'saved' | 'missing' | 'nameTaken'> {
  try {
    const changed = await conn('application_templates')
      .where({ company_id: companyId, id })
      .update({ ...columns(input, by), updated_at: conn.fn.now() });
    return changed ? 'saved' : 'missing';
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return 'nameTaken';
    throw error;
  }
}

export async function deleteTemplate(conn: Conn, companyId: number, id: number): Promise<boolean> {
  return (await conn('application_templates').where({ company_id: companyId, id }).delete()) > 0;
}

/** The templates a person may start an application from: those of the companies they may submit for. */
export async function templatesForSubmission(
  conn: Conn,
  userId: number,
): Promise<(TemplateRow & { legal_name: string })[]> {
  const companies = await companiesWhereMay(conn, userId, 'submit');
  if (!companies.length) return [];
  const names = new Map(companies.map((c) => [c.id, c.legal_name]));
  const rows: TemplateRow[] = await conn('application_templates')
    .whereIn('company_id', [...names.keys()])
    .orderByRaw('lower(name), id');
  return rows.map((row) => ({ ...row, legal_name: names.get(row.company_id)! }));
}
