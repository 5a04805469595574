import type { Db, Tx } from '../../db/knex';
import {
  allowed,
  PERMISSION_COLUMNS,
  type Allowed,
  type Membership,
  type Permission,
} from '../../domain/company-permissions';
import { prepared } from '../../db/prepared';
import type { Lang } from '../../i18n/i18n';
import { ADDRESS_COLUMNS, addressColumns, type AddressRow } from '../registration/address';
import type { CompanyInput } from './schemas';

type Conn = Db | Tx;

export interface CompanyRow extends AddressRow {
  id: number;
  legal_name: string;
  operating_name: string | null;
  tarion_number: string | null;
  phone: string;
  phone_ext: string | null;
  email: string | null;
  pin_sealed: string;
  city_pin_used_at: Date | null;
}

export type MemberRow = Membership & { company_id: number; user_id: number };

const MEMBER_COLUMNS = [
  'company_id',
  'user_id',
  ...Object.values(PERMISSION_COLUMNS),
] as const satisfies readonly (keyof MemberRow)[];

export interface MemberListing extends MemberRow {
  email: string;
  locale: Lang;
  name: string;
}

/** A member on the Comptes associés grid, with what they may do (the grid shows that, not the columns). */
export interface MemberOnGrid extends MemberListing {
  can: Allowed;
}

/** A person's name as their colleagues see it: the profile's, or the address if there is no profile. */
const personName = (db: Conn) =>
  db.raw(
    `COALESCE(NULLIF(trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')), ''), u.email) AS name`,
  );

export function companyColumns(input: CompanyInput) {
  return {
    legal_name: input.legalName,
    operating_name: input.operatingName,
    tarion_number: input.tarionNumber,
    phone: input.phone,
    phone_ext: input.phoneExt,
    email: input.email,
    ...addressColumns(input),
  };
}

/** Named, not `*`, for the prepared statements below (a migration must not change their shape). */
const COMPANY_COLUMNS = [
  'id',
  'legal_name',
  'operating_name',
  'tarion_number',
  'phone',
  'phone_ext',
  'email',
  ...ADDRESS_COLUMNS,
  'pin_sealed',
  'city_pin_used_at',
] as const satisfies readonly (keyof CompanyRow)[];

/** A company and this user's membership of it, in one prepared query; undefined for a non-member. */
export async function companyWithMembership(
  db: Db,
  companyId: number,
  userId: number,
): Promise<{ company: CompanyRow; membership: MemberRow } | undefined> {
  const [row] = await prepared<CompanyRow & { membership: MemberRow }>(
    db,
    db.raw(
      `SELECT ${COMPANY_COLUMNS.map((column) => `c.${column}`).join(', ')}, to_jsonb(m) AS membership
         FROM company_members m JOIN companies c ON c.id = m.company_id
        WHERE m.company_id = ? AND m.user_id = ?`,
      [companyId, userId],
    ),
  );
  if (!row) return undefined;
  const { membership, ...company } = row;
  return { company, membership };
}

/** Locks the company for the rest of the transaction: changes to its people happen one at a time. */
export async function lockCompany(tx: Tx, id: number): Promise<CompanyRow | undefined> {
  return tx<CompanyRow>('companies').where({ id }).forUpdate().first();
}

/** A company by id, for staff (who are not members). */
export async function companyById(db: Conn, id: number): Promise<CompanyRow | undefined> {
  return db<CompanyRow>('companies').where({ id }).first();
}

export async function pinTaken(db: Conn, pinHash: Buffer): Promise<boolean> {
  return !!(await db('companies').where('pin_hash', pinHash).orWhere('city_pin_hash', pinHash).first('id'));
}

export async function membership(
  db: Conn,
  companyId: number,
  userId: number,
): Promise<MemberRow | undefined> {
  return db<MemberRow>('company_members').where({ company_id: companyId, user_id: userId }).first();
}

/** The companies a user belongs to, for the Professionnels/Entrepreneurs tab. */
export async function companiesOf(db: Conn, userId: number): Promise<(CompanyRow & MemberRow)[]> {
  return db('companies')
    .join('company_members', 'company_members.company_id', 'companies.id')
    .where('company_members.user_id', userId)
    .select('companies.*', 'company_members.*')
    .orderBy('companies.legal_name');
}

/**
 * A page of the Comptes associés grid, by name, with the company's member count, in one prepared query
 * (the page joined laterally to the count's row; a page past the end still has the count).
 */
export async function members(
  db: Db,
  companyId: number,
  page: { size: number; offset: number },
): Promise<{ rows: MemberOnGrid[]; total: number }> {
  const rows = db('company_members as m')
    .join('users as u', 'u.id', 'm.user_id')
    .leftJoin('profiles as p', 'p.user_id', 'm.user_id')
    .where('m.company_id', companyId)
    .select(...MEMBER_COLUMNS.map((column) => `m.${column}`), 'u.email', 'u.locale', personName(db))
    .orderByRaw('name, u.email')
    .limit(page.size)
    .offset(page.offset);
  const joined = await prepared<MemberListing & { counted: string }>(
    db,
    db.raw(
      `SELECT counted.n AS counted, listed.*
         FROM (SELECT count(*) AS n FROM company_members WHERE company_id = ?) counted
         LEFT JOIN LATERAL ? listed ON true`,
      [companyId, rows],
    ),
  );
  return {
    rows: joined
      .filter((row) => row.user_id != null)
      .map(({ counted: _n, ...row }) => ({ ...row, can: allowed(row) })),
    total: Number(joined[0]!.counted),
  };
}

export async function membersByIds(tx: Tx, companyId: number, userIds: number[]): Promise<MemberListing[]> {
  return tx('company_members as m')
    .join('users as u', 'u.id', 'm.user_id')
    .leftJoin('profiles as p', 'p.user_id', 'm.user_id')
    .where('m.company_id', companyId)
    .whereIn('m.user_id', userIds)
    .select('m.*', 'u.email', 'u.locale', personName(tx));
}

export async function managers(db: Conn, companyId: number): Promise<MemberListing[]> {
  return db('company_members as m')
    .join('users as u', 'u.id', 'm.user_id')
    .leftJoin('profiles as p', 'p.user_id', 'm.user_id')
    .where({ 'm.company_id': companyId, 'm.can_manage': true })
    .select('m.*', 'u.email', 'u.locale', personName(db));
}

export async function addEvent(
  tx: Tx,
  event: {
    companyId: number;
    actorUserId: number | null;
    actorName: string | null;
    subjectUserId?: number | null;
    subjectName?: string | null;
    event: string;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await tx('company_events').insert({
    company_id: event.companyId,
    actor_user_id: event.actorUserId,
    actor_name: event.actorName,
    subject_user_id: event.subjectUserId ?? null,
    subject_name: event.subjectName ?? null,
    event: event.event,
    details: JSON.stringify(event.details ?? {}),
    occurred_at: new Date(),
  });
}

export interface CompanyEventRow {
  id: number;
  occurred_at: Date;
  actor_name: string | null;
  subject_name: string | null;
  event: string;
  details: Record<string, unknown>;
}

export async function history(db: Conn, companyId: number): Promise<CompanyEventRow[]> {
  return db('company_events')
    .where({ company_id: companyId })
    .orderBy([
      { column: 'occurred_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(200);
}

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

export async function insertCompany(
  tx: Tx,
  input: CompanyInput,
  pin: { pinHash: Buffer; pinSealed: string; createdBy: number },
): Promise<number> {
  const [row] = await tx('companies')
    .insert({
      ...companyColumns(input),
      pin_hash: pin.pinHash,
      pin_sealed: pin.pinSealed,
      created_by: pin.createdBy,
    })
    .returning('id');
  return row.id;
}

export async function updateCompany(tx: Tx, companyId: number, input: CompanyInput): Promise<void> {
  await tx('companies')
    .where({ id: companyId })
    .update({ ...companyColumns(input), updated_at: tx.fn.now() });
}

export async function setPin(tx: Tx, companyId: number, pinHash: Buffer, pinSealed: string): Promise<void> {
  await tx('companies').where({ id: companyId }).update({ pin_hash: pinHash, pin_sealed: pinSealed });
}

/** The company whose PIN (or unused contractor PIN from the city) has this hash, locked. */
export async function lockCompanyByPin(tx: Tx, pinHash: Buffer) {
  return tx('companies')
    .where('pin_hash', pinHash)
    .orWhere((w) => void w.where('city_pin_hash', pinHash).whereNull('city_pin_used_at'))
    .forUpdate()
    .first();
}

/** The city's contractor PIN works once. */
export async function useCityPin(tx: Tx, companyId: number): Promise<void> {
  await tx('companies').where({ id: companyId }).update({ city_pin_used_at: tx.fn.now() });
}

export async function hasMembers(tx: Tx, companyId: number): Promise<boolean> {
  return !!(await tx('company_members').where({ company_id: companyId }).first('user_id'));
}

export async function hasManager(tx: Tx, companyId: number): Promise<boolean> {
  return !!(await tx('company_members').where({ company_id: companyId, can_manage: true }).first('user_id'));
}

export async function addMember(
  tx: Tx,
  companyId: number,
  userId: number,
  permissions: Membership,
): Promise<void> {
  await tx('company_members').insert({ company_id: companyId, user_id: userId, ...permissions });
}

export async function removeMembers(tx: Tx, companyId: number, userIds: number[]): Promise<void> {
  await tx('company_members').where({ company_id: companyId }).whereIn('user_id', userIds).delete();
}

export async function setPermissions(
  tx: Tx,
  companyId: number,
  userIds: number[],
  change: Partial<Membership>,
): Promise<void> {
  await tx('company_members').where({ company_id: companyId }).whereIn('user_id', userIds).update(change);
}
