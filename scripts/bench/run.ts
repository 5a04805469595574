import autocannon from 'autocannon';
import { loadTest } from 'loadtest';
import { execFileSync, spawn } from 'node:child_process';
import { get } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClamd } from '../support/clamd';
import { gunzipSync } from 'node:zlib';
import { createPinVault } from '../../src/crypto/pin-vault';
import { resolveDatabase } from '../../src/db/database-url';
import { createDb } from '../../src/db/knex';
import { migrateLatest, migrateRollbackAll } from '../../src/db/migrations';
import {
  buildPortal,
  cookiesFrom,
  originOf,
  startPortal,
  stopPortal,
  waitReady,
  writeFigures,
} from '../portal-process';
import { generate } from 'otplib';
import { createSealer } from '../../src/crypto/sealing';
import { BENCH_EMAIL, BENCH_PASSWORD, BENCH_STAFF_EMAIL, BENCH_TOTP_SECRET, buildDataset } from './dataset';

/**
 * npm run bench [-- --smoke]
 * Builds a large dataset in PostgreSQL, starts the portal in production mode in its own process, and
 * measures pages with autocannon (50 connections) from this process. Full runs write BENCHMARKS.md;
 * --smoke (CI) uses a small dataset and 1-second runs, and only checks that every page answers 200.
 */
const smoke = process.argv.includes('--smoke');
/** --profile: the portal writes a V8 CPU profile per run into .bench-profiles/ (open it in DevTools). */
const profile = process.argv.includes('--profile');
const SECRET = 'benchmark-session-secret-0123456789-abcdef';
const PORT = 3950;
const origin = originOf(PORT);
/** How long each measured run lasts. */
const seconds = smoke ? 1 : 10;

async function main() {
  buildPortal();
  const database = await resolveDatabase(process.env.DATABASE_URL, {
    cluster: 'pg-bench',
    database: 'portal_bench',
    log: console.error,
  });
  const url = database.url;
  const db = createDb(url);
  // A clean database every run, so each step measures exactly the dataset it says.
  await migrateRollbackAll(db, { sessionSecret: SECRET });
  await migrateLatest(db, { sessionSecret: SECRET });
  const pins = createPinVault(SECRET);
  const results: Row[] = [];
  const steps = smoke
    ? [{ users: 1000, applications: 6000 }]
    : [
        { users: 1000, applications: 6000 },
        { users: 100_000, applications: 1_000_000 },
      ];
  for (const totals of steps) {
    const started = Date.now();
    await buildDataset(db, totals, pins, createSealer(SECRET, 'totp'));
    console.error(
      `dataset: ${totals.applications} applications, ${totals.users} accounts (${Date.now() - started} ms)`,
    );
    results.push(...(await measure(url, totals.applications)));
  }
  const scaling = await processScaling(url, steps.at(-1)!.applications);
  await db.destroy();
  await database.embedded?.stop();
  report(results, scaling);
}

interface Row {
  dataset: number;
  page: string;
  rps: number;
  p50: number;
  p99: number;
  bytes: number;
  /** The page, its CSS, script and icon as transferred with gzip asked, in bytes. */
  weight: number;
  peakRssMb: number;
  /** CPU time per request of the portal's process, and of PostgreSQL's (its server processes on this machine). */
  portalCpuUs: number;
  postgresCpuUs: number | undefined;
  /** Answers with the status the page should give, and any other answer or error. */
  ok: number;
  unexpected: number;
  /** An open-loop row's fixed rate (requests/s asked); closed-loop rows have none. */
  rate?: number;
}

/** One measured run as a row of the table. */
function rowOf(dataset: number, page: string, measurement: Measurement, pid: number): Row {
  return { dataset, page, weight: 0, peakRssMb: peakRss(pid), ...measurement };
}

/** A fixed rate of half these requests/s (at least one). */
const halfOf = (rps: number) => Math.max(1, Math.floor(rps / 2));

/** A load run beside another: a closed loop of `connections`, or an open one at `rate` requests/s. */
interface Run {
  connections: number;
  rate?: number;
}

/** What a load generator saw: requests/s, latency, bytes per answer, expected and unexpected answers. */
type Seen = Pick<Row, 'rps' | 'p50' | 'p99' | 'bytes' | 'ok' | 'unexpected'> & { total: number };

/** A closed loop: autocannon's connections each send the next request when the answer comes. */
async function closedLoop(options: autocannon.Options, status: number): Promise<Seen> {
  const result = await autocannon(options);
  const counts = (result as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  const ok = counts[String(status)]?.count ?? 0;
  const all = Object.values(counts).reduce((sum, { count }) => sum + count, 0);
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    bytes: Math.round(result.throughput.total / Math.max(1, result.requests.total)),
    total: result.requests.total,
    ok,
    unexpected: all - ok + result.errors + result.timeouts,
  };
}

/**
 * loadtest's promise form (called without a callback), which its bundled types, written for the
 * callback form, do not describe.
 */
const loadTestAsync = loadTest as unknown as (options: Record<string, unknown>) => Promise<{
  effectiveRps: number;
  totalRequests: number;
  percentiles: Record<50 | 90 | 95 | 99, number>;
  errorCodes: Record<string, number>;
}>;

/**
 * An open loop: loadtest sends a request every 1/rate s whether or not the earlier ones were answered
 * (a new connection when every open one is busy), as people arrive; so a slow answer delays nobody
 * else's start. autocannon's rate option sends each second's quota at once at the top of the second,
 * a burst that measured queueing, not where people are.
 */
async function openLoop(
  path: string,
  headers: Record<string, string>,
  rate: number,
  seconds: number,
): Promise<Seen> {
  const result = await loadTestAsync({
    url: origin + path,
    requestsPerSecond: rate,
    maxSeconds: seconds,
    concurrency: 1,
    cores: 1,
    agentKeepAlive: true,
    headers,
    quiet: true,
  });
  const errors = Object.values(result.errorCodes).reduce((a, b) => a + b, 0);
  return {
    rps: result.effectiveRps,
    p50: result.percentiles[50],
    p99: result.percentiles[99],
    bytes: 0,
    total: result.totalRequests,
    ok: result.totalRequests - errors,
    unexpected: errors,
  };
}

/** The portal in production mode in its own process(es) while `work` runs, given the started pid. */
async function withPortal<T>(
  databaseUrl: string,
  options: { processes?: number; nodeFlags?: string[] },
  work: (pid: number) => Promise<T>,
): Promise<T> {
  // Production requires a virus scanner: a real clamd with the test signature, documents in a folder.
  const clamd = await startClamd();
  const storageDir = mkdtempSync(join(tmpdir(), 'portal-bench-objects-'));
  const server = startPortal({
    clamdAddress: clamd.address,
    storageDir,
    databaseUrl,
    smtpUrl: 'smtp://127.0.0.1:2525',
    port: PORT,
    sessionSecret: SECRET,
    logLevel: 'warn',
    ...options,
  });
  try {
    await waitReady(origin, 500);
    return await work(server.pid!);
  } finally {
    await stopPortal(server);
    await clamd.stop();
    rmSync(storageDir, { recursive: true, force: true });
  }
}

async function measure(databaseUrl: string, dataset: number): Promise<Row[]> {
  const nodeFlags = profile ? ['--cpu-prof', '--cpu-prof-dir=.bench-profiles'] : [];
  return withPortal(databaseUrl, { nodeFlags }, async (pid) => {
    const server = { pid };
    const cookie = await signIn();
    const staffCookie = await staffSignIn();
    const big = await companyId(databaseUrl);
    const demandes = '/fr/services-code-batiment/demandes?period=all';
    // [name, path, who, connections, status]: every page at 50 connections (the measure),
    // and the Demandes tab also at 10, a load the machine carries without queueing, to compare with the
    // flood. The signed-in /fr is the floor of any signed-in page: it passes every middleware and reads
    // the session with its account (one query), then only redirects (303) to the dashboard.
    const pages: [string, string, 'client' | 'staff' | undefined, number, number][] = [
      ['/healthz', '/healthz', undefined, 50, 200],
      ['signed-in /fr → 303: every middleware and the session query, no page', '/fr', 'client', 50, 303],
      ['sign-in page', '/fr/connexion', undefined, 50, 200],
      ['Demandes, first page', demandes, 'client', 50, 200],
      ['Demandes, first page', demandes, 'client', 10, 200],
      ['Demandes, page 200', `${demandes}&page=200`, 'client', 50, 200],
      ['application activity', '/fr/services-code-batiment/demandes/CON-2010-000002', 'client', 50, 200],
      [
        'Comptes associés (500 members)',
        `/fr/services-code-batiment/entreprises/${big}/comptes-associes`,
        'client',
        50,
        200,
      ],
      // Staff: the review queue (applications awaiting a decision, latest first; 40 % of the dataset).
      ['staff review queue', '/fr/admin/examen', 'staff', 50, 200],
      // Staff: "elgin" anywhere in the address (the trigram index), the 50 latest of 10 % of the dataset.
      ['staff search "elgin" (address contains)', '/fr/admin/demandes?q=elgin', 'staff', 50, 200],
    ];
    const rows: Row[] = [];
    /** Each page's requests/s at 50 connections. */
    const saturation = new Map<string, number>();
    for (const [name, path, who, connections, status] of pages) {
      const headers = {
        'x-forwarded-proto': 'https',
        ...(who ? { cookie: who === 'staff' ? staffCookie : cookie } : {}),
        'accept-encoding': 'gzip',
      };
      // Warm-up: the first requests compile the templates and fill the pools; they are not measured.
      await autocannon({ url: origin + path, connections: 10, amount: 200, headers });
      const run = await measured(
        () => closedLoop({ url: origin + path, connections, duration: seconds, headers }, status),
        server.pid!,
      );
      rows.push({
        ...rowOf(
          dataset,
          connections === 50 ? name : `${name}, ${connections} connections`,
          run,
          server.pid!,
        ),
        weight: status === 200 ? await pageWeight(path, headers) : 0,
      });
      console.error(
        `${dataset} ${name}: ${rows.at(-1)!.rps} req/s, p99 ${rows.at(-1)!.p99} ms, unexpected ${rows.at(-1)!.unexpected}`,
      );
      // Where people are: a fixed rate of half what the page sustains, p99 ≤ 50 ms asked.
      if (who && connections === 50) {
        saturation.set(path, rows.at(-1)!.rps);
        const rate = halfOf(rows.at(-1)!.rps);
        const open = await measured(() => openLoop(path, headers, rate, seconds), server.pid!);
        const label = `${name}, open loop at ${rate}/s (half its saturation)`;
        rows.push({ ...rowOf(dataset, label, open, server.pid!), rate });
      }
    }
    const demandesRate = halfOf(saturation.get(demandes) ?? 0);
    rows.push(...(await duringSignInFlood(cookie, dataset, server.pid!, demandesRate)));
    rows.push(...(await duringUploads(cookie, dataset, server.pid!)));
    return rows;
  });
}

/**
 * Issue 18 item 3: a fixed mix of signed-in pages (Demandes, a deep Demandes page, an application's
 * activity, Comptes associés, in turn on each connection) at 50 connections, with one portal process and
 * with two (WEB_CONCURRENCY). PostgreSQL and this load generator run on the same two cores.
 */
async function processScaling(databaseUrl: string, dataset: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const processes of [1, 2]) {
    await withPortal(databaseUrl, { processes }, async (pid) => {
      const cookie = await signIn();
      const big = await companyId(databaseUrl);
      const demandes = '/fr/services-code-batiment/demandes?period=all';
      const requests = [
        demandes,
        `${demandes}&page=200`,
        '/fr/services-code-batiment/demandes/CON-2010-000002',
        `/fr/services-code-batiment/entreprises/${big}/comptes-associes`,
      ].map((path) => ({ method: 'GET' as const, path }));
      const headers = { 'x-forwarded-proto': 'https', cookie, 'accept-encoding': 'gzip' };
      await autocannon({ url: origin, requests, connections: 10, amount: 400, headers });
      const run = await measured(
        () => closedLoop({ url: origin, requests, connections: 50, duration: seconds, headers }, 200),
        pid,
      );
      const label = processes === 1 ? '1 portal process' : `${processes} portal processes`;
      rows.push(rowOf(dataset, `page mix (4 signed-in pages), ${label}`, run, pid));
      console.error(`${dataset} page mix, ${label}: ${rows.at(-1)!.rps} req/s, p99 ${rows.at(-1)!.p99} ms`);
    });
  }
  return rows;
}

/** CPU ticks (utime + stime) of each of these processes so far. */
function cpuTicks(pids: number[]): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process has ended (a PostgreSQL backend).
    }
  }
  return ticks;
}

/**
 * Ticks spent between two readings, by the processes alive at the second; a process that ended in
 * between is left out (a slight under-count, never a negative).
 */
function spent(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, now] of after) ticks += now - (before.get(pid) ?? 0);
  return ticks;
}

/** PostgreSQL's server processes on this machine (they run as the postgres user), if any. */
function postgresPids(): number[] {
  try {
    return execFileSync('pgrep', ['-u', 'postgres'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** The portal's processes: the one started and, with WEB_CONCURRENCY above 1, those it runs. */
function portalPids(pid: number): number[] {
  try {
    const children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
    return [pid, ...children.split('\n').filter(Boolean).map(Number)];
  } catch {
    return [pid];
  }
}

/** One load run, with the CPU the portal and PostgreSQL spent per request during it. */
type Measurement = Omit<Seen, 'total'> & { portalCpuUs: number; postgresCpuUs: number | undefined };

async function measured(run: () => Promise<Seen>, portalPid: number): Promise<Measurement> {
  const pg = postgresPids();
  const before = [cpuTicks(portalPids(portalPid)), cpuTicks(pg)] as const;
  const { total, ...seen } = await run();
  const requests = Math.max(1, total);
  // Clock ticks are 10 ms (getconf CLK_TCK = 100).
  const perRequest = (ticks: number) => Math.round((ticks * 10_000) / requests);
  return {
    ...seen,
    portalCpuUs: perRequest(spent(before[0], cpuTicks(portalPids(portalPid)))),
    // New backends started during the run count too.
    postgresCpuUs: pg.length ? perRequest(spent(before[1], cpuTicks(postgresPids()))) : undefined,
  };
}

/**
 * The Demandes tab measured (at each number of connections) while a child script loads the portal; the
 * script runs in its own process, so its connections do not share an event loop with the measurement,
 * is under way before the first measurement, lasts past the last, and prints its own figures as JSON.
 */
async function demandesDuring<Figures>(
  script: string,
  args: (seconds: number) => string[],
  runs: Run[],
  cookie: string,
  dataset: number,
  pid: number,
  describe: (figures: Figures, run: Run) => string,
): Promise<Row[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args(seconds)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const finished = new Promise<Figures>((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(output) as Figures)
        : reject(new Error(`${script} exited with ${code}`)),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, smoke ? 500 : 2000));
  const path = '/fr/services-code-batiment/demandes?period=all';
  const headers = { 'x-forwarded-proto': 'https', cookie, 'accept-encoding': 'gzip' };
  const measurements = [];
  for (const run of runs) {
    const options = { url: origin + path, connections: run.connections, duration: seconds, headers };
    const load = run.rate
      ? () => openLoop(path, headers, run.rate!, seconds)
      : () => closedLoop(options, 200);
    measurements.push({ run, ...(await measured(load, pid)) });
  }
  const figures = await finished;
  return measurements.map(({ run, ...measurement }) => ({
    ...rowOf(dataset, describe(figures, run), measurement, pid),
    rate: run.rate,
  }));
}

/**
 * The Demandes tab while 200 connections post wrong passwords for unknown addresses from as many
 * addresses (each one costs a password hash): hashing must not starve the other pages.
 */
function duringSignInFlood(cookie: string, dataset: number, pid: number, rate: number): Promise<Row[]> {
  // At saturation, at 10 connections, and at the fixed half-saturation rate of the open-loop row
  // (p99 ≤ 100 ms asked during the flood).
  const runs: Run[] = [{ connections: 50 }, { connections: 10 }, { connections: 50, rate }];
  return demandesDuring<{ perSecond: number; p99: number }>(
    'scripts/bench/flood.ts',
    (seconds) => [origin, String(smoke ? 3 : 2 + runs.length * (seconds + 1))],
    runs,
    cookie,
    dataset,
    pid,
    (flood, run) => {
      console.error(`${dataset} sign-in flood: ${flood.perSecond} refused sign-ins/s, p99 ${flood.p99} ms`);
      const how = run.rate ? `open loop at ${run.rate}/s` : `${run.connections} connections`;
      return `Demandes, ${how}, during 200 concurrent wrong-password sign-ins (${flood.perSecond}/s refused)`;
    },
  );
}

/**
 * The Demandes tab at 10 connections while 10 browsers each upload a 20 MB PDF, one after another: the
 * uploads are streamed to disk and to storage, scanned by clamd in the background; the portal's memory
 * must stay under its cap and the page's p99 within 2 × its idle value. A failed upload is an unexpected
 * answer of the row.
 */
async function duringUploads(cookie: string, dataset: number, pid: number): Promise<Row[]> {
  type Uploads = { uploads: number; perSecond: number; p99: number; failed: number };
  let failed = 0;
  const rows = await demandesDuring<Uploads>(
    'scripts/bench/uploads.ts',
    (seconds) => [
      origin,
      cookie,
      '/fr/services-code-batiment/demandes/CON-2010-000002/documents',
      String(seconds + (smoke ? 1 : 3)),
    ],
    [{ connections: 10 }],
    cookie,
    dataset,
    pid,
    (u) => {
      failed = u.failed;
      console.error(
        `${dataset} uploads: ${u.uploads} of 20 MB (${u.perSecond}/s), p99 ${u.p99} ms, ${u.failed} failed`,
      );
      return `Demandes, 10 connections, during 10 concurrent 20 MB uploads (${u.perSecond}/s, p99 ${u.p99} ms, ${u.failed} failed)`;
    },
  );
  return rows.map((row) => ({ ...row, unexpected: row.unexpected + failed }));
}

/** Bytes on the wire (gzip asked, headers left out) of one response. */
function transferred(
  path: string,
  headers: Record<string, string>,
): Promise<{ bytes: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(origin + path, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const gzipped = res.headers['content-encoding'] === 'gzip';
        resolve({ bytes: raw.length, body: gzipped ? gunzipSync(raw).toString() : raw.toString() });
      });
    }).on('error', reject);
  });
}

/** The page and every stylesheet, script and icon it links to, as a first visit transfers them. */
async function pageWeight(path: string, headers: Record<string, string>): Promise<number> {
  const page = await transferred(path, headers);
  const assets = [...page.body.matchAll(/(?:href|src)="(\/public\/[^"]+)"/g)].map((m) => m[1]!);
  const sizes = await Promise.all(assets.map(async (asset) => (await transferred(asset, headers)).bytes));
  return sizes.reduce((sum, size) => sum + size, page.bytes);
}

/** Signs in through the real form, as a browser would, and returns the session cookie. */
async function signIn(): Promise<string> {
  const headers = { 'x-forwarded-proto': 'https' };
  const page = await fetch(`${origin}/fr/connexion`, { headers });
  // The visitor's cookie (its form token), sent back with the form like a browser would.
  const visitor = cookiesFrom(page);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${origin}/fr/connexion`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, cookie: visitor, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email: BENCH_EMAIL, password: BENCH_PASSWORD }),
  });
  if (res.status !== 303) throw new Error(`bench sign-in answered ${res.status}`);
  const session = res.headers.getSetCookie().find((line) => line.includes('portal.sid='));
  if (!session) throw new Error('bench sign-in set no session cookie');
  return session.split(';')[0]!;
}

/** Staff sign in with their password and their authenticator's code, in one form. */
async function staffSignIn(): Promise<string> {
  const headers = { 'x-forwarded-proto': 'https' };
  const page = await fetch(`${origin}/fr/admin/connexion`, { headers });
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${origin}/fr/admin/connexion`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, cookie: cookiesFrom(page), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      _csrf: token,
      email: BENCH_STAFF_EMAIL,
      password: BENCH_PASSWORD,
      code: await generate({ secret: BENCH_TOTP_SECRET }),
    }),
  });
  const session = res.headers.getSetCookie().find((line) => line.includes('portal.sid='));
  if (res.status !== 303 || res.headers.get('location') !== '/fr/admin' || !session)
    throw new Error(`bench staff sign-in answered ${res.status} ${res.headers.get('location')}`);
  return session.split(';')[0]!;
}

async function companyId(databaseUrl: string): Promise<number> {
  const db = createDb(databaseUrl);
  const row = await db('companies').orderBy('id').first('id');
  await db.destroy();
  return row.id;
}

/** The highest peak resident memory among the portal's processes (each has the heap cap), in MB. */
function peakRss(pid: number): number {
  const peaks = portalPids(pid).map((one) => {
    try {
      const status = readFileSync(`/proc/${one}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      return 0;
    }
  });
  return Math.round(Math.max(...peaks) / 1024);
}

/** The floor of a signed-in page: its portal CPU is what every other page's is compared with. */
const FLOOR = 'signed-in /fr → 303';

function report(rows: Row[], scaling: Row[]) {
  const floor = new Map(
    rows.filter((r) => r.page.startsWith(FLOOR) && !r.rate).map((r) => [r.dataset, r.portalCpuUs]),
  );
  const timesFloor = (r: Row) => {
    const base = floor.get(r.dataset);
    return base && !r.rate ? `${(r.portalCpuUs / base).toFixed(2)} ×` : '–';
  };
  const table = [
    '| applications | page | requests/s | p50 ms | p99 ms | portal CPU µs/request | × the floor | PostgreSQL CPU µs/request | response bytes | page + assets KB (gzip) | peak RSS MB | unexpected answers |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...[...rows, ...scaling].map(
      (r) =>
        `| ${r.dataset.toLocaleString('en')} | ${r.page} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.portalCpuUs} | ${timesFloor(r)} | ${r.postgresCpuUs ?? '–'} | ${r.bytes} | ${r.weight ? (r.weight / 1024).toFixed(1) : '–'} | ${r.peakRssMb} | ${r.unexpected} |`,
    ),
  ].join('\n');
  rows = [...rows, ...scaling];
  console.log(table);
  const failed = rows.filter((r) => r.unexpected > 0 || r.ok === 0);
  if (failed.length) {
    console.error(`bench: ${failed.map((r) => r.page).join(', ')} gave an unexpected answer, or none`);
    process.exitCode = 1;
  }
  if (smoke) return;
  writeFigures(
    'bench',
    'autocannon, 50 connections, 10 s per page after a warm-up, from the same machine; the portal in production mode in its own process',
    [table],
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
