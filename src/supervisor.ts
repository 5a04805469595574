import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** What a portal process tells the supervisor (process.send). */
export type WorkerNews = { kind: 'listening'; line: string } | { kind: 'cannot-listen'; reason: string };

const isNews = (message: unknown): message is WorkerNews =>
  typeof message === 'object' && message !== null && 'kind' in message;

/** A process that dies sooner than this after its start is in trouble: the next waits longer. */
const HEALTHY_AFTER_MS = 10_000;
const FIRST_RESTART_MS = 500;
const LONGEST_RESTART_MS = 30_000;
/** How long the processes have to finish their requests when asked to stop (they allow themselves 5 s). */
const STOP_GRACE_MS = 10_000;

/**
 * Runs `count` portal processes on one port with Node's cluster module (the primary owns the socket and
 * hands connections out), and starts another when one dies: at once after a long life, with a growing
 * wait when it keeps dying. The primary serves nothing itself, so nothing a request does can take it
 * down. A process that cannot listen (the port is taken) stops them all with one line.
 */
export function superviseWorkers({
  count,
  env,
  logger,
  onStopped,
}: {
  count: number;
  /** Given to each process (the database the primary resolved). */
  env: Record<string, string>;
  logger: Logger;
  /** When every process has ended: the primary's own clean-up (the embedded database), then its exit. */
  onStopped: (exitCode: number) => Promise<void>;
}): void {
  let stopping = false;
  let announced = false;
  // The processes that have said they listen: the line that says "N processes" waits for all N, so
  // nothing relies on a second process that is still starting (one killed before the other listened
  // left the port closed until it did).
  const listening = new Set<Worker>();
  let exitCode = 0;
  // When each live process started. Node's own list may still hold a process at its 'exit' event.
  const startedAt = new Map<Worker, number>();
  let restartDelay = FIRST_RESTART_MS;

  const fork = () => {
    const worker = cluster.fork(env);
    startedAt.set(worker, Date.now());
    worker.on('message', (message: unknown) => isNews(message) && heard(worker, message));
  };

  const heard = (worker: Worker, news: WorkerNews) => {
    if (news.kind === 'listening') listening.add(worker);
    if (news.kind === 'listening' && !announced && listening.size === count) {
      announced = true;
      console.log(`${news.line}; ${count} ${count === 1 ? 'process' : 'processes'}`);
    }
    if (news.kind === 'cannot-listen' && !stopping) {
      console.error(`The portal could not start: ${news.reason}`);
      stop(1);
    }
  };

  cluster.on('exit', (worker: Worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    listening.delete(worker);
    if (stopping) {
      if (startedAt.size === 0) void onStopped(exitCode);
      return;
    }
    restartDelay =
      lived >= HEALTHY_AFTER_MS ? FIRST_RESTART_MS : Math.min(restartDelay * 2, LONGEST_RESTART_MS);
    logger.warn(
      { pid: worker.process.pid, code, signal, restartInMs: restartDelay },
      'portal process ended; starting another',
    );
    setTimeout(() => stopping || fork(), restartDelay);
  });

  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (startedAt.size === 0) return void onStopped(exitCode);
    for (const worker of startedAt.keys()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of startedAt.keys()) worker.process.kill('SIGKILL');
    }, STOP_GRACE_MS).unref();
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));

  for (let i = 0; i < count; i += 1) fork();
}

/** In a process the supervisor started: tells it something. Elsewhere nothing (returns false). */
export function tellSupervisor(news: WorkerNews): boolean {
  if (!cluster.isWorker || !process.send) return false;
  process.send(news);
  return true;
}
