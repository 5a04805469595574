import type { Db, Tx } from '../../db/knex';
import type { Lang } from '../../i18n/i18n';
import { ADDRESS_COLUMNS, addressColumns, type AddressRow } from './address';
import type { ProfileInput } from './schemas';

type Conn = Db | Tx;

export interface ProfileRow extends AddressRow {
  user_id: number;
  title: string | null;
  first_name: string;
  last_name: string;
  phone: string;
  phone_ext: string | null;
  phone2: string | null;
  phone2_ext: string | null;
  consent_at: Date;
}

/** The columns of a ProfileRow (also read with the session: web/session-user.ts). */
export const PROFILE_COLUMNS = [
  'user_id',
  'title',
  'first_name',
  'last_name',
  ...ADDRESS_COLUMNS,
  'phone',
  'phone_ext',
  'phone2',
  'phone2_ext',
  'consent_at',
] as const satisfies readonly (keyof ProfileRow)[];

export async function findProfile(db: Conn, userId: number): Promise<ProfileRow | undefined> {
  return db<ProfileRow>('profiles')
    .select(...PROFILE_COLUMNS)
    .where({ user_id: userId })
    .first();
}

function columns(input: Omit<ProfileInput, 'language'>) {
  return {
    title: input.title,
    first_name: input.firstName,
    last_name: input.lastName,
    ...addressColumns(input),
    phone: input.phone,
    phone_ext: input.phoneExt,
    phone2: input.phone2,
    phone2_ext: input.phone2Ext,
  };
}

/** Registers once: a second registration of the same account changes nothing. */
export async function insertProfile(tx: Tx, userId: number, input: ProfileInput): Promise<boolean> {
  const rows = await tx('profiles')
    .insert({ user_id: userId, ...columns(input), consent_at: tx.fn.now() })
    .onConflict('user_id')
    .ignore()
    .returning('user_id');
  return rows.length > 0;
}

export async function updateProfile(tx: Tx, userId: number, input: ProfileInput): Promise<void> {
  await tx('profiles')
    .where({ user_id: userId })
    .update({
      ...columns(input),
      updated_at: tx.fn.now(),
    });
}

/** "Langue de communication" is the language of the account's emails. */
export async function setLocale(tx: Tx, userId: number, lang: Lang): Promise<void> {
  await tx('users').where({ id: userId }).update({ locale: lang });
}

/** The application events this person chose not to be emailed about (Mon profil, "Avis par courriel"). */
export async function emailOptOuts(db: Conn, userId: number): Promise<string[]> {
  return (
    ((await db('users').where({ id: userId }).first('email_opt_outs'))?.email_opt_outs as string[]) ?? []
  );
}

export async function setEmailOptOuts(tx: Tx, userId: number, optOuts: readonly string[]): Promise<void> {
  await tx('users')
    .where({ id: userId })
    .update({ email_opt_outs: [...optOuts] });
}
