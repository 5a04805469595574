import type { Readable } from 'node:stream';
import { recordAudit } from '../../audit/audit';
import { isFinal } from '../../domain/application-lifecycle';
import { addJob } from '../../db/jobs';
import { inTransaction, type Db, type Tx } from '../../db/knex';
import type { Lang } from '../../i18n/i18n';
import type { MailQueue } from '../../mail/queue';
import type { Scanner } from '../../scanning/scanner';
import { NotStored, type ObjectStore } from '../../storage/object-store';
import type { Mover } from '../applications/lifecycle';
import { findVisible, mayAct, standingOn, type ApplicationRow, type Standing } from '../applications/queries';
import type { Conversation } from '../review/conversation';
import { staffSide } from '../review/queries';
import { refOf } from '../applications/service';
import { applicationByNumber } from '../staff/queries';
import { displayName } from './file-names';
import * as q from './queries';
import type { ReceivedFile } from './upload';

export const SCAN_DOCUMENT_TASK = 'scan_document';

export type UploadResult = 'stored' | 'notFound' | 'notAllowed' | 'notOpen';

/** Whether this person may upload to this application now: the rule, then the application's state. */
export function uploadAllowed(standing: Standing, application: ApplicationRow): boolean {
  // While an application can still change, its side may add documents (a draft's too).
  return !isFinal(application.status) && mayAct(standing, 'upload');
}

/**
 * Documents on an application (J10). An upload is stored by its content's hash, written with its audit
 * entry and its scan job in one transaction, and served only once clamd found it clean; an infected one
 * is moved to quarantine and its uploader and staff are told. Without a scanner (outside production
 * only) documents are kept "not scanned" and say so.
 */
export function documentsService({
  db,
  store,
  scanner,
  mail,
  conversation,
}: {
  db: Db;
  store: ObjectStore;
  scanner: Scanner | undefined;
  mail: MailQueue;
  conversation: Conversation;
}) {
  async function mayUpload(conn: Db | Tx, userId: number, application: ApplicationRow): Promise<boolean> {
    return uploadAllowed(await standingOn(conn, userId, [application.id]), application);
  }

  /** Removes the objects of an upload that did not commit, unless a row uses them (under their lock). */
  async function forget(hashes: readonly string[]): Promise<void> {
    for (const sha of hashes)
      await inTransaction(db, async (tx) => {
        await q.lockContents(tx, [sha]);
        if (!(await q.contentUsed(tx, sha))) await store.remove(q.objectKey(sha));
      });
  }

  async function quarantine(tx: Tx, document: q.DocumentRow, found: string[]): Promise<void> {
    await q.lockContents(tx, [document.sha256]);
    // The same bytes under every name: each row that holds them is infected.
    const rows = await q.markInfected(tx, document.sha256, found);
    for (const row of rows) {
      await recordAudit(tx, {
        event: 'document.infected',
        actorUserId: null,
        subjectUserId: row.uploaded_by,
        details: { application_id: row.application_id, document_id: row.id, found },
      });
      const { application, uploader } = await q.infectedNoticeFacts(tx, row);
      const ref = refOf(application);
      const params = { number: ref, file: row.file_name };
      if (uploader)
        await mail.enqueue(tx, {
          template: 'documentInfected',
          to: uploader.email,
          lang: uploader.locale as Lang,
          params,
          link: { page: 'applicationDocuments', params: { ref } },
        });
      for (const person of await staffSide(tx, application.reviewer_user_id))
        await mail.enqueue(tx, {
          template: 'documentInfectedStaff',
          to: person.email,
          lang: person.locale as Lang,
          params,
          ...(application.number
            ? { link: { page: 'staffApplication', params: { number: application.number } } }
            : {}),
        });
    }
    // Last, inside the content's lock: if the move fails the transaction is undone and the job retried.
    try {
      await store.move(q.objectKey(document.sha256), q.quarantineKey(document.sha256));
    } catch (error) {
      if (!(error instanceof NotStored)) throw error;
    }
  }

  return {
    mayUpload: uploadAllowed,

    /** What the documents page shows: the documents, whether this person may add some, what is asked. */
    async forApplicantSide(application: ApplicationRow, userId: number) {
      const [documents, may, requests] = await Promise.all([
        q.documentsOf(db, application.id),
        mayUpload(db, userId, application),
        q.openDocumentRequests(db, application.id),
      ]);
      return { documents, mayUpload: may, requests: may ? requests : [], scanning: !!scanner };
    },

    documentsOf: (applicationId: number) => q.documentsOf(db, applicationId),

    /**
     * Stores an upload's files and writes their rows: the objects first (outside the transaction, which
     * must not wait on 50 MB), then, under the application's lock and each content's, the rows, the audit
     * entries and the scan jobs; each object checked again there, as a concurrent upload that failed may
     * have removed the same content meanwhile. An upload that does not commit leaves no object behind.
     */
    async upload(
      by: Mover,
      ref: string,
      files: readonly ReceivedFile[],
      answering?: number,
    ): Promise<UploadResult> {
      const put = (file: ReceivedFile) =>
        store.put(q.objectKey(file.sha256), file.path, {
          size: file.size,
          contentType: file.type,
          sha256: file.sha256,
        });
      for (const file of files) await put(file);
      try {
        return await inTransaction(db, async (tx) => {
          const application = await findVisible(tx, by.userId!, ref, true);
          if (!application) return 'notFound';
          if (!(await mayUpload(tx, by.userId!, application))) return 'notAllowed';
          if (answering !== undefined && !(await isOpenRequest(tx, application, answering))) return 'notOpen';
          await q.lockContents(
            tx,
            files.map((f) => f.sha256),
          );
          const names: string[] = [];
          for (const file of files) {
            if (!(await store.has(q.objectKey(file.sha256)))) await put(file);
            const name = displayName(file.sentName, file.type);
            names.push(name);
            const id = await q.insertDocument(tx, {
              application_id: application.id,
              sha256: file.sha256,
              size_bytes: file.size,
              content_type: file.type,
              file_name: name,
              status: scanner ? 'scanning' : 'not_scanned',
              uploaded_by: by.userId!,
              uploader_name: by.name!,
              deficiency_id: answering ?? null,
            });
            await recordAudit(tx, {
              event: 'document.uploaded',
              actorUserId: by.userId,
              ip: by.ip,
              details: { application: ref, document_id: id, sha256: file.sha256, size: file.size },
            });
            // One scan at a time: a burst of 50 MB uploads must not take every worker slot and hold
            // the emails back (an activation link waited behind scans in CI).
            if (scanner)
              await addJob(tx, SCAN_DOCUMENT_TASK, { documentId: id }, { queueName: 'document-scans' });
          }
          if (answering !== undefined)
            await conversation.applicantWrites(tx, application, by, names.join('\n'), answering);
          return 'stored';
        }).then(async (result) => {
          if (result !== 'stored') await forget(files.map((f) => f.sha256));
          return result;
        });
      } catch (error) {
        await forget(files.map((f) => f.sha256));
        throw error;
      }
    },

    /**
     * The scan job: the object streamed to clamd. Clean: served from now on. Infected: quarantined. An
     * error (clamd unreachable) throws, and the queue tries again later; the document stays "being
     * scanned" and is not served meanwhile.
     */
    async scan(documentId: number): Promise<void> {
      if (!scanner) throw new Error('no scanner configured');
      const document = await q.documentById(db, documentId);
      if (!document || document.status !== 'scanning') return;
      let outcome: Awaited<ReturnType<Scanner['scan']>>;
      try {
        outcome = await scanner.scan(await store.get(q.objectKey(document.sha256)));
      } catch (error) {
        // Quarantined meanwhile (the same bytes found infected under another name).
        if (!(error instanceof NotStored)) throw error;
        outcome = { clean: false, found: ['quarantined'] };
      }
      if (outcome.clean) {
        await q.markClean(db, documentId);
        return;
      }
      const { found } = outcome;
      await inTransaction(db, (tx) => quarantine(tx, document, found));
    },

    /**
     * A document's bytes for someone who sees its application (the applicant's side, or a member of its
     * company with any permission), once it may be served; recorded in the audit trail.
     */
    async download(
      by: Mover,
      ref: string,
      id: number,
    ): Promise<{ document: q.DocumentRow; stream: Readable } | undefined> {
      const application = await findVisible(db, by.userId!, ref);
      if (!application) return undefined;
      return serve(by, application, id);
    },

    /** Staff see and download every document. */
    async staffDownload(by: Mover, number: string, id: number) {
      const application: ApplicationRow | undefined = await applicationByNumber(db, number);
      if (!application) return undefined;
      return serve(by, application, id);
    },
  };

  async function isOpenRequest(tx: Tx, application: ApplicationRow, deficiencyId: number): Promise<boolean> {
    return (await q.openDocumentRequests(tx, application.id)).some((d) => d.id === deficiencyId);
  }

  async function serve(by: Mover, application: ApplicationRow, id: number) {
    const document = await q.documentOf(db, application.id, id);
    if (!document || !q.SERVED.includes(document.status)) return undefined;
    const stream = await store.get(q.objectKey(document.sha256));
    await recordAudit(db, {
      event: 'document.downloaded',
      actorUserId: by.userId,
      ip: by.ip,
      details: { application: refOf(application), document_id: id },
    });
    return { document, stream };
  }
}

export type DocumentsService = ReturnType<typeof documentsService>;
