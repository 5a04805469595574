import { fileTypeFromBuffer } from 'file-type';

/** What may be uploaded (J10): PDF, JPEG, PNG, decided by the file's content. */
export const DOCUMENT_TYPES = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
} as const;
export type DocumentType = keyof typeof DOCUMENT_TYPES;

/** How many bytes from the start the type detection reads (file-type's own need for these formats). */
export const HEAD_BYTES = 4100;

/**
 * The file's type from its first bytes (file-type, which reads magic numbers), never from its name or
 * the browser's word; undefined for anything but the three allowed.
 */
export async function documentType(head: Uint8Array): Promise<DocumentType | undefined> {
  const found = await fileTypeFromBuffer(head);
  return found && found.mime in DOCUMENT_TYPES ? (found.mime as DocumentType) : undefined;
}
