import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import busboy from 'busboy';
import { documentType, HEAD_BYTES, type DocumentType } from './file-types';

/** The connection ended before the upload did: there is nobody left to answer. */
export class UploadCut extends Error {}

export const MAX_FILE_BYTES = 50 * 1024 * 1024;
export const MAX_FILES = 10;

/** A file received whole and checked, waiting in the upload folder to be stored. */
export interface ReceivedFile {
  path: string;
  sentName: string;
  size: number;
  sha256: string;
  type: DocumentType;
}

/** Why an upload is refused, each a message beside the file field. */
export type UploadProblem = 'none' | 'empty' | 'tooLarge' | 'tooMuch' | 'tooMany' | 'wrongType' | 'badForm';

export type Received =
  | { ok: true; fields: Record<string, string>; files: ReceivedFile[] }
  | { ok: false; problem: UploadProblem; fileName?: string; fields: Record<string, string> }
  /** No valid form token came before the first file: nothing was read further. */
  | { ok: false; problem: 'forbidden' };

interface Limits {
  tmpDir: string;
  /** Checks the form's token, which the form sends first, before any file is accepted. */
  tokenValid: (token: string) => boolean;
  maxFileBytes?: number;
  maxFiles?: number;
}

/**
 * Reads a multipart upload as it arrives (busboy, with limits on sizes, files, fields and parts): each
 * file streamed to a temporary file of its own while its SHA-256 and size are counted and its first bytes
 * kept for the type; never held whole in memory. The answer lists the files, or the first problem. Only
 * accepted files are left in the upload folder, for the caller to store and then `discard`; every other
 * temporary file is removed here, also when the request fails (a connection cut mid-upload).
 */
export async function receiveUpload(req: Request, limits: Limits): Promise<Received> {
  const maxFileBytes = limits.maxFileBytes ?? MAX_FILE_BYTES;
  const maxFiles = limits.maxFiles ?? MAX_FILES;
  await mkdir(limits.tmpDir, { recursive: true });
  const fields: Record<string, string> = {};
  let files: ReceivedFile[] = [];
  const written: string[] = [];
  let problem: { problem: UploadProblem; fileName?: string } | undefined;
  let tokenChecked = false;
  const refuse = (found: UploadProblem, fileName?: string) => (problem ??= { problem: found, fileName });

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      // One byte more than allowed, so a file of exactly the limit is told from a larger one.
      limits: {
        fileSize: maxFileBytes + 1,
        files: maxFiles,
        fields: 8,
        fieldSize: 1024,
        parts: maxFiles + 8,
      },
      defParamCharset: 'utf8',
    });
  } catch {
    return { ok: false, problem: 'badForm', fields };
  }

  const work: Promise<unknown>[] = [];
  const open = new Set<Readable>();
  // Each file keeps its place in the form, whichever is checked first.
  let places = 0;
  const done = new Promise<'forbidden' | 'malformed' | undefined>((resolve, reject) => {
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated) return refuse('badForm');
      if (name === '_csrf' && !tokenChecked) tokenChecked = limits.tokenValid(value);
      else fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      if (!tokenChecked) {
        // Nothing is written for a form that did not come from the portal's page.
        req.unpipe(parser);
        stream.resume();
        resolve('forbidden');
        return;
      }
      open.add(stream);
      const place = places++;
      work.push(
        receiveFile(stream, info.filename ?? '', place)
          .catch(reject)
          .finally(() => open.delete(stream)),
      );
    });
    parser.on('filesLimit', () => refuse('tooMany'));
    parser.on('partsLimit', () => refuse('tooMany'));
    parser.on('fieldsLimit', () => refuse('badForm'));
    parser.on('close', () => resolve(undefined));
    // A body that is not well-formed multipart (a NUL in a part's header): refused, the rest unread.
    parser.on('error', () => {
      req.unpipe(parser);
      for (const stream of open) stream.destroy();
      resolve('malformed');
    });
    req.on('aborted', () => {
      const cut = new UploadCut('upload cut');
      // The file being written ends too, so its temporary file is closed and removed.
      for (const stream of open) stream.destroy(cut);
      reject(cut);
    });
    req.on('error', reject);
  });

  async function receiveFile(stream: Readable, sentName: string, place: number): Promise<void> {
    const path = join(limits.tmpDir, randomUUID());
    written.push(path);
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let size = 0;
    let headSize = 0;
    let truncated = false;
    stream.on('limit', () => (truncated = true));
    await pipeline(
      stream,
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          hash.update(chunk);
          if (headSize < HEAD_BYTES) {
            head.push(chunk.subarray(0, HEAD_BYTES - headSize));
            headSize += Math.min(chunk.length, HEAD_BYTES - headSize);
          }
          callback(null, chunk);
        },
      }),
      createWriteStream(path),
    );
    // An empty part with no name is a form sent with no file chosen.
    if (!sentName && size === 0) return;
    if (truncated || size > maxFileBytes) return void refuse('tooLarge', sentName);
    if (size === 0) return void refuse('empty', sentName);
    const type = await documentType(Buffer.concat(head));
    if (!type) return void refuse('wrongType', sentName);
    files[place] = { path, sentName, size, sha256: hash.digest('hex'), type };
  }

  let ended: 'forbidden' | 'malformed' | undefined;
  try {
    req.pipe(parser);
    ended = await done;
    if (ended === 'malformed') await Promise.allSettled(work);
    else await Promise.all(work);
    files = files.filter(Boolean);
  } catch (error) {
    await discard(written);
    throw error;
  }
  const outcome: Received =
    ended === 'forbidden'
      ? { ok: false, problem: 'forbidden' }
      : ended === 'malformed'
        ? { ok: false, problem: 'badForm', fields }
        : problem
          ? { ok: false, ...problem, fields }
          : files.length
            ? { ok: true, fields, files }
            : { ok: false, problem: 'none', fields };
  // Only the accepted files stay, for the caller to store and then discard.
  const kept = new Set(outcome.ok ? files.map((f) => f.path) : []);
  await discard(written.filter((path) => !kept.has(path)));
  return outcome;
}

/** Removes an upload's temporary files. */
export async function discard(paths: readonly string[]): Promise<void> {
  await Promise.all(paths.map((path) => rm(path, { force: true })));
}
