import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import PQueue from 'p-queue';
import { Piscina } from 'piscina';
import { projectRoot } from '../../project-root';
import { BusyError } from '../../errors';

// OWASP's first argon2id configuration: 19 MiB of memory, 2 iterations, 1 lane.
// (Algorithm.Argon2id is 2; the package declares it as a const enum, which isolated modules cannot read.)
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

const commonPasswords = new Set(
  readFileSync(join(projectRoot, 'data', 'common-passwords.txt'), 'utf8').split('\n'),
);

export function commonPasswordCount(): number {
  return commonPasswords.size;
}

/**
 * On the list, or a listed password padded with digits and symbols ("iloveyou12345"), or one character
 * repeated: the first things an attacker tries.
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (commonPasswords.has(lower)) return true;
  if (new Set(lower).size <= 2) return true;
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/g, '');
  return core.length >= 4 && commonPasswords.has(core);
}

/** Too many sign-ins (or sign-ups) are waiting for a hash: the visitor is asked to come back shortly. */
export class HashingBusyError extends BusyError {
  constructor() {
    super('password hashing: queue full or time limit reached');
  }
}

type HashingTask =
  | { op: 'hash'; password: string; options: typeof OPTIONS }
  | { op: 'verify'; password: string; hash: string };

export interface HashingLimits {
  threads: number;
  /** How many hashes may wait; beyond, HashingBusyError at once. */
  maxWaiting: number;
  /** How long a hash may wait for a thread before HashingBusyError (one under way always finishes). */
  timeLimitMs: number;
}

/**
 * Hashing takes a core for 6 to 65 ms (machines differ). It runs on threads of its own, all cores but
 * one, so a flood of sign-ins cannot take every core; what waits, waits in a queue that costs no CPU,
 * within limits. A lower CPU priority (nice 5 to 19) was measured and dropped: it did not lower the
 * Demandes tab's p99 during a flood here, and it made sign-ups under load wait (p99 0.7 to 4 s). So was
 * a cap on hashing's share of its thread (half): it halved the sign-ins a flood gets through and did not
 * change the pages' p99 either (the event loop, not the cores, is where pages wait during a flood).
 */
export function passwordHashing(limits: HashingLimits) {
  let pool: Piscina | undefined;
  // AbortSignal.timeout takes whole milliseconds only (a fraction threw a RangeError, so a 500).
  const timeLimitMs = Math.ceil(limits.timeLimitMs);
  // Waiting and running hashes, bounded here.
  let inFlight = 0;
  const turns = new PQueue({ concurrency: limits.threads });
  const run = async <T>(task: HashingTask): Promise<T> => {
    if (inFlight >= limits.threads + limits.maxWaiting) throw new HashingBusyError();
    pool ??= new Piscina({
      filename: join(projectRoot, 'src', 'features', 'accounts', 'hashing-worker.mjs'),
      minThreads: 1,
      maxThreads: limits.threads,
      // Each hash takes 19 MiB outside V8's heap; a thread idle for a minute is ended.
      idleTimeout: 60_000,
    });
    inFlight += 1;
    // The time limit bounds the wait for a thread. Once started, a hash finishes (milliseconds): piscina
    // ends the thread of a task aborted under way, and starting another stalled the event loop (measured
    // during a flood: a third fewer sign-ins answered, pages waiting up to 0.6 s). So hashes wait in a
    // queue of their own, one per thread at a time, and the limit only takes them out of that queue.
    const limit = AbortSignal.timeout(timeLimitMs);
    const waiting = new AbortController();
    let started = false;
    const giveUp = () => {
      if (!started) waiting.abort(limit.reason);
    };
    limit.addEventListener('abort', giveUp, { once: true });
    try {
      return await turns.add(
        () => {
          started = true;
          // Stopped while this one waited (the process is ending): "try again shortly".
          if (!pool) throw new HashingBusyError();
          return pool.run(task) as Promise<T>;
        },
        { signal: waiting.signal },
      );
    } catch (error) {
      if (waiting.signal.aborted) throw new HashingBusyError();
      throw error;
    } finally {
      limit.removeEventListener('abort', giveUp);
      inFlight -= 1;
    }
  };
  // Verified against when the email is unknown, so that an unknown address takes as long as a known one.
  let dummyHash: Promise<string> | undefined;
  const hash = (password: string) => run<string>({ op: 'hash', password, options: OPTIONS });
  return {
    hash,
    async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
      if (passwordHash) return run<boolean>({ op: 'verify', hash: passwordHash, password });
      dummyHash ??= hash('no account has this password, it only costs time');
      await run({ op: 'verify', hash: await dummyHash, password });
      return false;
    },
    /** Ends the threads (a test, or a script that must exit at once). */
    stop: async () => {
      await pool?.destroy();
      pool = undefined;
    },
  };
}

export type PasswordHashing = ReturnType<typeof passwordHashing>;

/** All cores but one; 1,000 waiting at most, none waiting longer than 10 s (then "try again shortly", a 503). */
export function defaultPasswordHashing(): PasswordHashing {
  return passwordHashing({
    threads: Math.max(1, availableParallelism() - 1),
    maxWaiting: 1000,
    timeLimitMs: 10_000,
  });
}

/** One hash, for a script or a seed that has no services (a pool of one thread, ended after). */
export async function hashPasswordOnce(password: string): Promise<string> {
  const hashing = passwordHashing({ threads: 1, maxWaiting: 0, timeLimitMs: 60_000 });
  try {
    return await hashing.hash(password);
  } finally {
    await hashing.stop();
  }
}
