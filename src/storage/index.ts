import type { Config } from '../config';
import { folderStore } from './folder-store';
import type { ObjectStore } from './object-store';
import { s3Store } from './s3-store';

export function objectStoreFor(storage: Config['storage']): ObjectStore {
  return storage.kind === 's3' ? s3Store(storage) : folderStore(storage.dir);
}
