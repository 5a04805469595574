import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../src/project-root';

/** What `npm run bench` and `npm run load` share: the portal in production mode, and their report. */

export interface PortalOptions {
  databaseUrl: string;
  smtpUrl: string;
  port: number;
  sessionSecret: string;
  logLevel: string;
  /** Node flags (a CPU profile, for instance). */
  nodeFlags?: string[];
  /** The virus scanner production requires (scripts/support/clamd.ts starts one). */
  clamdAddress: string;
  /** Where documents rest (a folder of the run's own). */
  storageDir: string;
  /** A Stripe-compatible server to pay through (the load's); without it, placeholders and no payment. */
  stripe?: { apiUrl: string; webhookSecret: string };
  /**
   * Portal processes (WEB_CONCURRENCY). One unless asked: each page's figures are then one process's,
   * comparable from run to run; `npm start` runs one per core.
   */
  processes?: number;
}

export const originOf = (port: number) => `http://127.0.0.1:${port}`;

/** The cookies a response set, as a browser sends them back (`name=value; name=value`). */
export function cookiesFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .join('; ');
}

/** Builds dist/server.js, the bundle `npm start` runs (scripts/build.mjs). */
export function buildPortal(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: projectRoot, stdio: 'inherit' });
}

/** The Node flags `npm start` gives the portal (its heap limits), read from package.json's start script. */
export function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const flags = /\bnode ((?:--\S+ )*)dist\/server\.js/.exec(scripts.start);
  if (!flags) throw new Error('package.json: the start script does not run node [flags] dist/server.js');
  return flags[1]!.trim().split(/\s+/).filter(Boolean);
}

/**
 * The portal as `npm start` runs it (the bundle built by buildPortal, with the same Node flags), in
 * production mode and in its own process, so it shares no event loop with the load.
 */
export function startPortal(options: PortalOptions): ChildProcess {
  return spawn(process.execPath, [...startFlags(), ...(options.nodeFlags ?? []), 'dist/server.js'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: options.databaseUrl,
      SMTP_URL: options.smtpUrl,
      SESSION_SECRET: options.sessionSecret,
      BASE_URL: originOf(options.port),
      PORT: String(options.port),
      HOST: '127.0.0.1',
      WEB_CONCURRENCY: String(options.processes ?? 1),
      // The load and bench clients play users behind a proxy on this host, each with its own address.
      TRUST_PROXY: 'loopback',
      LOG_LEVEL: options.logLevel,
      // Production takes payments through Stripe (which cannot be reached from here): the load pays
      // through its Stripe-compatible server; elsewhere placeholders let it start, and nobody pays.
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_placeholder',
      STRIPE_WEBHOOK_SECRET: options.stripe?.webhookSecret ?? 'whsec_placeholder',
      ...(options.stripe ? { STRIPE_API_URL: options.stripe.apiUrl } : {}),
      CLAMD_ADDRESS: options.clamdAddress,
      STORAGE_DIR: options.storageDir,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

export async function stopPortal(portal: ChildProcess): Promise<void> {
  if (portal.exitCode !== null || portal.signalCode !== null) return;
  const exited = new Promise((resolve) => portal.once('exit', resolve));
  portal.kill('SIGTERM');
  await exited;
}

/** Polls /readyz until the portal reaches its database; returns the time it did. */
export async function waitReady(origin: string, everyMs = 200, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(2000) })
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return Date.now();
    if (Date.now() > deadline) throw new Error(`${origin} did not become ready`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Replaces the figures of one command in BENCHMARKS.md, between its `<!-- npm run NAME: begin/end -->`
 * markers; the rest of the file is written by hand.
 */
export function writeFigures(command: string, how: string, body: string[]): void {
  const begin = `<!-- npm run ${command}: begin -->`;
  const end = `<!-- npm run ${command}: end -->`;
  const file = join(projectRoot, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`BENCHMARKS.md lacks the ${begin} and ${end} markers`);
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const section = [
    begin,
    `Taken ${new Date().toISOString().slice(0, 10)} on ${machine} with \`npm run ${command}\` (${how}).`,
    '',
    ...body,
    end,
  ].join('\n');
  writeFileSync(file, text.slice(0, from) + section + text.slice(to + end.length));
}
