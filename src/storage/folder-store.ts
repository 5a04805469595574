import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { checkedKey, NotStored, type ObjectStore } from './object-store';

/**
 * Objects as files under one folder (default .data/objects), the key as the relative path. A file is
 * copied to a temporary name and renamed, so a reader never sees half an object.
 */
export function folderStore(root: string): ObjectStore {
  const pathOf = (key: string) => join(root, checkedKey(key));
  const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';
  return {
    async put(key, path) {
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      const partial = `${target}.${process.pid}.${Date.now()}.partial`;
      await copyFile(path, partial);
      await rename(partial, target);
    },
    async get(key): Promise<Readable> {
      const path = pathOf(key);
      try {
        await stat(path);
      } catch (error) {
        if (missing(error)) throw new NotStored(key);
        throw error;
      }
      return createReadStream(path);
    },
    async has(key) {
      try {
        await stat(pathOf(key));
        return true;
      } catch (error) {
        if (missing(error)) return false;
        throw error;
      }
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
    async move(from, to) {
      const target = pathOf(to);
      await mkdir(dirname(target), { recursive: true });
      try {
        await rename(pathOf(from), target);
      } catch (error) {
        if (missing(error)) throw new NotStored(from);
        throw error;
      }
    },
  };
}
