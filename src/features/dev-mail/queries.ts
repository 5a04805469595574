import type { Db } from '../../db/knex';

/** The 50 newest mails of the development mailbox. */
export async function latestMails(db: Db) {
  return db('dev_mailbox')
    .select('id', 'to_address', 'subject', 'created_at')
    .orderBy('id', 'desc')
    .limit(50);
}

export async function mailById(db: Db, id: number) {
  return db('dev_mailbox').where({ id }).first();
}
