// The password hashing thread (see passwords.ts). Plain JavaScript: a worker thread loads it without the
// TypeScript loader, under tsx, vitest and the production build alike.
import { hashSync, verifySync } from '@node-rs/argon2';

/** @param {{ op: 'hash', password: string, options: object } | { op: 'verify', password: string, hash: string }} task */
export default function hashing(task) {
  if (task.op === 'hash') return hashSync(task.password, task.options);
  try {
    return verifySync(task.hash, task.password);
  } catch {
    // A malformed stored hash verifies nothing.
    return false;
  }
}
