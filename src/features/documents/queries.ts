import type { Db, Tx } from '../../db/knex';
import { Read } from '../../db/together';
import type { DocumentType } from './file-types';

type Conn = Db | Tx;

export type DocumentStatus = 'scanning' | 'clean' | 'infected' | 'not_scanned';

export interface DocumentRow {
  id: number;
  application_id: number;
  sha256: string;
  size_bytes: number;
  content_type: DocumentType;
  file_name: string;
  status: DocumentStatus;
  found: string | null;
  uploaded_by: number | null;
  uploader_name: string;
  uploaded_at: Date;
  scanned_at: Date | null;
  deficiency_id: number | null;
}

/** Who may download: clean documents, and (with no scanner, outside production) those not scanned. */
export const SERVED: readonly DocumentStatus[] = ['clean', 'not_scanned'];

/** The object a document's bytes rest in: one per content, whoever uploaded it. */
export const objectKey = (sha256: string) => `documents/${sha256}`;
export const quarantineKey = (sha256: string) => `quarantine/${sha256}`;

export function documentsOf(conn: Conn, applicationId: number): Read<DocumentRow[]> {
  return Read.of(
    conn('documents').where({ application_id: applicationId }).orderBy('id'),
    (rows: DocumentRow[]) => rows.map((row) => ({ ...row, size_bytes: Number(row.size_bytes) })),
  );
}

export async function documentOf(
  conn: Conn,
  applicationId: number,
  id: number,
): Promise<DocumentRow | undefined> {
  const row = await conn('documents').where({ application_id: applicationId, id }).first();
  return row && { ...row, size_bytes: Number(row.size_bytes) };
}

export async function insertDocument(
  tx: Tx,
  row: Omit<DocumentRow, 'id' | 'uploaded_at' | 'scanned_at' | 'found'>,
): Promise<number> {
  const [inserted] = await tx('documents').insert(row).returning('id');
  return inserted.id;
}

/**
 * Holds the content's lock until the transaction ends: storing an object and writing the row that uses
 * it, and removing an object no row uses, each happen under it, so one never undoes the other. Taken
 * after the application's row, contents in hash order (one lock order).
 */
export async function lockContents(tx: Tx, hashes: readonly string[]): Promise<void> {
  for (const sha of [...new Set(hashes)].sort())
    await tx.raw(`SELECT pg_advisory_xact_lock(hashtextextended('document:' || ?, 0))`, [sha]);
}

export async function contentUsed(conn: Conn, sha256: string): Promise<boolean> {
  return !!(await conn('documents').where({ sha256 }).first('id'));
}

/** The deficiencies asking this application for a document, still open (an upload answers one). */
export async function openDocumentRequests(
  conn: Conn,
  applicationId: number,
): Promise<{ id: number; text: string }[]> {
  return conn('deficiencies')
    .where({ application_id: applicationId, wants_document: true })
    .whereNull('answered_at')
    .whereNull('resolved_at')
    .select('id', 'text')
    .orderBy('id');
}

export async function documentById(conn: Conn, id: number): Promise<DocumentRow | undefined> {
  return conn('documents').where({ id }).first();
}

/** Marks every row holding these bytes infected (the same content under any name); returns them. */
export async function markInfected(tx: Tx, sha256: string, found: string[]): Promise<DocumentRow[]> {
  return tx('documents')
    .where({ sha256 })
    .whereNot({ status: 'infected' })
    .update({ status: 'infected', found: found.join(', '), scanned_at: tx.fn.now() })
    .returning('*');
}

export async function markClean(conn: Conn, id: number): Promise<void> {
  await conn('documents')
    .where({ id, status: 'scanning' })
    .update({ status: 'clean', scanned_at: conn.fn.now() });
}

/** What an infected document's notices need: its application, and the uploader's address and language. */
export async function infectedNoticeFacts(tx: Tx, row: DocumentRow) {
  const application = await tx('applications')
    .where({ id: row.application_id })
    .first('id', 'number', 'reviewer_user_id');
  const uploader: { email: string; locale: string } | undefined = row.uploaded_by
    ? await tx('users').where({ id: row.uploaded_by }).first('email', 'locale')
    : undefined;
  return {
    application: application as { id: number; number: string | null; reviewer_user_id: number | null },
    uploader,
  };
}
