import type { Readable } from 'node:stream';

/**
 * Where documents' bytes rest, behind one interface: a folder (development, a single server with a
 * mounted volume) or an S3-compatible bucket. Keys are made by the portal alone (content hashes), never
 * from anything a user typed.
 */
export interface ObjectStore {
  /**
   * Stores the file at `path` under `key` (replacing what was there: same key, same content). `sha256`
   * (hex) is the content's hash, which a store that can checks the bytes it received against.
   */
  put(key: string, path: string, file: { size: number; contentType: string; sha256: string }): Promise<void>;
  /** The object's bytes as a stream; NotStored when there is no such object. */
  get(key: string): Promise<Readable>;
  has(key: string): Promise<boolean>;
  /** Removes the object; nothing happens when there is none. */
  remove(key: string): Promise<void>;
  /** Moves an object to another key (a quarantine), the bytes never served again under the first. */
  move(from: string, to: string): Promise<void>;
}

export class NotStored extends Error {
  constructor(key: string) {
    super(`no object ${key}`);
  }
}

/** A key is the portal's own: a namespace and a SHA-256 in hexadecimal. */
export function checkedKey(key: string): string {
  if (!/^(documents|quarantine)\/[0-9a-f]{64}$/.test(key)) throw new Error(`not an object key: ${key}`);
  return key;
}
