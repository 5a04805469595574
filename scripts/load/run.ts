import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startClamd } from '../support/clamd';
import { createI18n } from '../../src/i18n/i18n';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { parseConfig } from '../../src/config';
import { projectRoot } from '../../src/project-root';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded';
import { createDb } from '../../src/db/knex';
import { createServices } from '../../src/services';
import { HANG_MS, type Exchange } from './client';
import { databaseChecks, emailChecks, ledgerChecks, type Check } from './consistency';
import { StripeDouble } from './stripe-double';
import { emptyLedger, personJourney, staffJourney, STAFF_PASSWORD, type World } from './journeys';
import { MailSink } from './mail-sink';
import { buildPortal, originOf, startPortal, stopPortal, waitReady, writeFigures } from '../portal-process';
import { join } from 'node:path';

/**
 * npm run load [-- --users 200 --seconds 60 --fault none|postgres-restart|smtp-down|sigkill|all] [--smoke]
 *
 * Simulated people walk whole journeys against the portal in production mode, on an embedded PostgreSQL
 * this script owns (so it can restart it) and a real SMTP server in this process (so it can stop it).
 * Afterwards it checks the database, the emails and what each person was told. It exits with 1 when a
 * check fails. The default run writes its table into BENCHMARKS.md; others (and --smoke, for CI) only print.
 */
const FAULTS = ['none', 'postgres-restart', 'smtp-down', 'sigkill', 'two-instances'] as const;
type Fault = (typeof FAULTS)[number];

const { values } = parseArgs({
  options: {
    users: { type: 'string' },
    seconds: { type: 'string' },
    fault: { type: 'string', default: 'all' },
    smoke: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke!;
const USERS = Number(values.users ?? (smoke ? 20 : 200));
const SECONDS = Number(values.seconds ?? (smoke ? 12 : 60));
const STAFF = 2;
const SECRET = 'load-test-session-secret-0123456789-abcdef';
const PORT = 3960;
const origin = originOf(PORT);
/** The second instance of the two-instance scenario, on the same database. */
const SECOND_PORT = 3961;
/** How long the database or the SMTP server stays away. */
const OUTAGE_MS = smoke ? 3000 : 5000;
const SMTP_OUTAGE_MS = smoke ? 5000 : 20_000;

interface Outcome {
  fault: Fault;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  maxMs: number;
  hung: number;
  serverErrors: number;
  unavailable: number;
  refusedConnections: number;
  journeysStarted: number;
  journeysCompleted: number;
  abandoned: Record<string, number>;
  emails: number;
  faultFigures: string;
  /** The kinds of request with the highest p99, slowest first. */
  slowest: string;
  checks: Check[];
}

async function main() {
  buildPortal();
  const faults: Fault[] = values.fault === 'all' ? [...FAULTS] : [values.fault as Fault];
  if (!faults.every((f) => FAULTS.includes(f)))
    throw new Error(`--fault must be one of all, ${FAULTS.join(', ')}`);
  // Its own embedded cluster whatever DATABASE_URL says: the PostgreSQL fault stops and starts it.
  const database = await startEmbeddedPostgres(join(projectRoot, '.data', 'pg-load'), console.error);
  const outcomes: Outcome[] = [];
  try {
    for (const fault of faults) outcomes.push(await scenario(database, fault));
  } finally {
    await database.stop();
  }
  for (const outcome of outcomes) console.log(summary(outcome));
  // Only the default run (every scenario, 200 people, 60 s) replaces the figures in BENCHMARKS.md.
  if (!smoke && values.fault === 'all' && !values.users && !values.seconds) writeReport(outcomes);
  const failed = outcomes.flatMap((o) => o.checks.filter((c) => !c.ok).map((c) => `${o.fault}: ${c.name}`));
  if (failed.length) {
    console.error(`FAILED:\n  ${failed.join('\n  ')}`);
    process.exit(1);
  }
}

async function scenario(database: EmbeddedDatabase, fault: Fault): Promise<Outcome> {
  const name = `load_${fault.replace('-', '_')}`;
  const admin = new pg.Client({ connectionString: database.url('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  await ensureDatabase(database.url('postgres'), name);
  const url = database.url(name);

  const sink = new MailSink();
  await sink.start();
  // Stripe cannot be reached: the portal pays through a Stripe-compatible server of the load's.
  const instances = fault === 'two-instances' ? [PORT, SECOND_PORT] : [PORT];
  const origins = instances.map(originOf);
  const stripe = new StripeDouble(origins.map((o) => `${o}/webhooks/payments`));
  await stripe.start();
  // Production requires a virus scanner: a real clamd with the test signature, documents in a folder.
  const clamd = await startClamd();
  const storageDir = mkdtempSync(join(tmpdir(), 'portal-load-objects-'));
  const portalOptions = {
    stripe: { apiUrl: stripe.apiUrl, webhookSecret: stripe.webhookSecret },
    clamdAddress: clamd.address,
    storageDir,
    databaseUrl: url,
    smtpUrl: `smtp://127.0.0.1:${sink.port}`,
    port: PORT,
    sessionSecret: SECRET,
    logLevel: process.env.LOAD_PORTAL_LOG_LEVEL ?? 'error',
  };
  let portal = startPortal(portalOptions);
  await waitReady(origin);
  // Two instances: the second on its own port, the same database, SMTP server, scanner and storage.
  const secondOptions = { ...portalOptions, port: SECOND_PORT };
  let second = instances.length > 1 ? startPortal(secondOptions) : undefined;
  if (second) await waitReady(originOf(SECOND_PORT));
  const db = createDb(url);
  // The portal's own services on its database, to create the staff accounts (never made by signing up).
  const services = createServices(
    parseConfig({
      NODE_ENV: 'test',
      SESSION_SECRET: SECRET,
      BASE_URL: origin,
      SMTP_URL: portalOptions.smtpUrl,
    }),
    db,
    createI18n(),
  );
  const staff = services.staff;
  const staffEmails = Array.from({ length: STAFF }, (_, i) => `agent.${i}@load.example.test`);
  for (const email of staffEmails) await staff.create(email, `Agent ${email.split('.')[1]}`, STAFF_PASSWORD);

  const exchanges: Exchange[] = [];
  const started = Date.now();
  const world: World = {
    origins,
    sink,
    ledger: emptyLedger(),
    log: (e) => exchanges.push(e),
    deadline: started + SECONDS * 1000,
    companies: [],
    toAssess: [],
    runId: randomBytes(3).toString('hex'),
  };
  console.error(`${fault}: ${USERS} simulated users for ${SECONDS} s`);
  let journeysStarted = 0;
  const persons = Array.from({ length: USERS - STAFF }, async (_, vu) => {
    // People arrive over the first quarter of the run, not all in the same millisecond.
    await sleep((vu / USERS) * Math.min(10_000, (SECONDS * 1000) / 4));
    for (let round = 0; Date.now() < world.deadline; round++) {
      journeysStarted += 1;
      await personJourney(world, vu, round);
    }
  });
  let personsDone = false;
  const allPersons = Promise.all(persons).then(() => (personsDone = true));
  // Staff keep deciding until the people are done and a little after, so late requests are decided too.
  const staffDone = Promise.all(
    staffEmails.map((email) =>
      staffJourney(world, email, () => personsDone && Date.now() > world.deadline + 5000),
    ),
  );

  let faultFigures = '';
  const faultAt = started + SECONDS * 400;
  await sleep(faultAt - Date.now());
  if (fault === 'postgres-restart') {
    const down = Date.now();
    await database.stop();
    await sleep(OUTAGE_MS);
    await database.start();
    const back = Date.now();
    const recovered = await waitReady(origin, 100);
    faultFigures = `PostgreSQL down ${((back - down) / 1000).toFixed(1)} s; portal ready ${recovered - back} ms after its return`;
    faultFigures += outageAnswers(exchanges, down, recovered);
  } else if (fault === 'smtp-down') {
    const down = Date.now();
    await sink.stop();
    await sleep(SMTP_OUTAGE_MS);
    await sink.start();
    const accepted = exchanges.filter((e) => e.startedAt >= down && e.method === 'POST' && e.status === 303);
    const signUpsDuring = accepted.filter((e) => /creer-un-compte|create-account/.test(e.path)).length;
    const withdrawalsDuring = accepted.filter((e) => /retirer|withdraw/.test(e.path)).length;
    faultFigures = `SMTP down ${SMTP_OUTAGE_MS / 1000} s: ${accepted.length} forms accepted meanwhile, of which ${signUpsDuring} sign-ups and ${withdrawalsDuring} withdrawal requests`;
  } else if (fault === 'sigkill') {
    const killedAt = Date.now();
    portal.kill('SIGKILL');
    await new Promise((resolve) => portal.once('exit', resolve));
    portal = startPortal(portalOptions);
    const ready = await waitReady(origin, 100);
    faultFigures = `portal killed (SIGKILL) and restarted: serving again after ${ready - killedAt} ms`;
  } else if (fault === 'two-instances' && second) {
    // One of the two is killed; the other serves alone (the load passes over the dead one as a load
    // balancer would), then the killed one is started again and takes its share back.
    const killedAt = Date.now();
    second.kill('SIGKILL');
    await new Promise((resolve) => second!.once('exit', resolve));
    await sleep(OUTAGE_MS);
    second = startPortal(secondOptions);
    const ready = await waitReady(originOf(SECOND_PORT), 100);
    const during = exchanges.filter((e) => e.startedAt >= killedAt && e.startedAt <= ready);
    faultFigures = `instance 2 of 2 killed (SIGKILL), started again after ${((ready - killedAt) / 1000).toFixed(1)} s: meanwhile ${during.filter((e) => e.status > 0).length} requests answered, ${during.filter((e) => e.passedOver).length} of them passed over to instance 1, ${during.filter((e) => e.status === 0).length} cut`;
  }

  await allPersons;
  await staffDone;
  const drainStarted = Date.now();
  const drained = await waitForQueue(db, smoke ? 90_000 : 180_000);
  faultFigures += `${faultFigures ? '; ' : ''}mail queue empty ${((drained - drainStarted) / 1000).toFixed(1)} s after the load`;
  const checks = [
    ...httpChecks(exchanges, fault),
    ...(await databaseChecks(db)),
    ...(await ledgerChecks(db, world.ledger)),
    ...(await emailChecks(db, sink.delivered)),
  ];
  await services.passwords.stop();
  await db.destroy();
  await stopPortal(portal);
  if (second) await stopPortal(second);
  await sink.stop();
  await stripe.stop();
  await clamd.stop();
  rmSync(storageDir, { recursive: true, force: true });
  console.error(
    `payments: ${stripe.sent} Stripe notifications sent (each twice), ${stripe.accepted} accepted by the portal`,
  );

  const answered = exchanges
    .filter((e) => e.status > 0)
    .map((e) => e.ms)
    .sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round(answered[Math.min(answered.length - 1, Math.floor(answered.length * p))] ?? 0);
  return {
    fault,
    requests: exchanges.length,
    perSecond: Math.round(exchanges.length / SECONDS),
    p50: pct(0.5),
    p99: pct(0.99),
    maxMs: Math.round(answered.at(-1) ?? 0),
    hung: exchanges.filter((e) => e.error === 'TimeoutError' || e.ms >= HANG_MS).length,
    serverErrors: exchanges.filter((e) => e.status >= 500 && e.status !== 503).length,
    unavailable: exchanges.filter((e) => e.status === 503).length,
    refusedConnections: exchanges.filter((e) => e.status === 0 && e.error !== 'TimeoutError').length,
    journeysStarted,
    journeysCompleted: world.ledger.withdrawalsRequested.length,
    abandoned: world.ledger.abandoned,
    emails: sink.delivered.length,
    faultFigures,
    slowest: slowestKinds(exchanges),
    checks,
  };
}

/** p99 per kind of request (method and path, numbers and file numbers left out): the three slowest. */
function slowestKinds(exchanges: Exchange[]): string {
  const kinds = new Map<string, number[]>();
  for (const e of exchanges) {
    if (e.status === 0) continue;
    const kind = `${e.method} ${e.path
      .replace(/\?.*/, '')
      .replace(/CON-\d{4}-\d{6}/, ':ref')
      .replace(/\/\d+/g, '/:id')}`;
    kinds.set(kind, [...(kinds.get(kind) ?? []), e.ms]);
  }
  return [...kinds]
    .map(([kind, times]) => {
      times.sort((a, b) => a - b);
      return { kind, p99: Math.round(times[Math.floor(times.length * 0.99)] ?? 0), n: times.length };
    })
    .sort((a, b) => b.p99 - a.p99)
    .slice(0, 3)
    .map(({ kind, p99, n }) => `${kind} p99 ${p99} ms (${n})`)
    .join('; ');
}

/** What people saw while the database was away: 503 pages in their language, nothing hanging. */
function outageAnswers(exchanges: Exchange[], from: number, to: number): string {
  const during = exchanges.filter((e) => e.startedAt >= from && e.startedAt <= to);
  const unavailable = during.filter((e) => e.status === 503);
  const wrongLanguage = unavailable.filter(
    (e) => e.lang !== e.path.slice(1, 3) && /^\/(fr|en)\//.test(e.path),
  );
  const slowest = Math.max(0, ...during.map((e) => e.ms));
  return `; during the outage ${during.length} requests: ${unavailable.length} answered 503 (${wrongLanguage.length} in the wrong language, ${unavailable.filter((e) => e.retryAfter).length} with Retry-After), slowest ${Math.round(slowest)} ms`;
}

function httpChecks(exchanges: Exchange[], fault: Fault): Check[] {
  const serverErrors = exchanges.filter(
    (e) => e.status >= 500 && (e.status !== 503 || fault !== 'postgres-restart'),
  );
  const hung = exchanges.filter((e) => e.error === 'TimeoutError' || e.ms >= HANG_MS);
  const wrongLanguage = exchanges.filter(
    (e) => e.status === 503 && /^\/(fr|en)\//.test(e.path) && e.lang !== e.path.slice(1, 3),
  );
  return [
    {
      name: fault === 'postgres-restart' ? 'no 5xx other than 503 during the outage' : 'no 5xx',
      ok: serverErrors.length === 0,
      detail: `${serverErrors.length} ${serverErrors
        .slice(0, 3)
        .map((e) => `${e.status} ${e.method} ${e.path}`)
        .join('; ')}`,
    },
    {
      name: `no request hangs past ${HANG_MS / 1000} s`,
      ok: hung.length === 0,
      detail: `${hung.length} ${hung
        .slice(0, 3)
        .map((e) => `${e.method} ${e.path}`)
        .join('; ')}`,
    },
    {
      name: '503 pages in the language of their address',
      ok: wrongLanguage.length === 0,
      detail: String(wrongLanguage.length),
    },
  ];
}

/** Waits until every queued email has been sent; returns the time the queue was empty. */
async function waitForQueue(db: ReturnType<typeof createDb>, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.raw<{ rows: { n: number }[] }>(
      'SELECT count(*)::int AS n FROM graphile_worker.jobs',
    );
    if (rows[0]!.n === 0 || Date.now() > deadline) return Date.now();
    await sleep(500);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function summary(o: Outcome): string {
  const lines = [
    `== ${o.fault}: ${o.requests} requests (${o.perSecond}/s), p50 ${o.p50} ms, p99 ${o.p99} ms, max ${o.maxMs} ms`,
    `   journeys ${o.journeysCompleted}/${o.journeysStarted} completed; abandoned ${JSON.stringify(o.abandoned)}`,
    `   5xx ${o.serverErrors}, 503 ${o.unavailable}, no answer ${o.refusedConnections}, hung ${o.hung}; ${o.emails} emails`,
    `   ${o.faultFigures}`,
    `   slowest: ${o.slowest}`,
    ...o.checks.map((c) => `   ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`),
  ];
  return lines.join('\n');
}

function writeReport(outcomes: Outcome[]): void {
  const rows = outcomes.map(
    (o) =>
      `| ${o.fault} | ${o.journeysCompleted} / ${o.journeysStarted} | ${o.requests} (${o.perSecond}/s) | ${o.p50} | ${o.p99} | ${o.maxMs} | ${o.serverErrors} | ${o.unavailable} | ${o.refusedConnections} | ${o.hung} | ${o.emails} | ${o.checks.filter((c) => c.ok).length} / ${o.checks.length} |`,
  );
  const details = outcomes.flatMap((o) => [
    `- **${o.fault}**: ${o.faultFigures}. Slowest: ${o.slowest}. Abandoned journeys by step: ${JSON.stringify(o.abandoned)}.${o.checks
      .filter((c) => !c.ok)
      .map((c) => ` Failed: ${c.name} (${c.detail}).`)
      .join('')}`,
  ]);
  writeFigures('load', `${USERS} simulated users, ${SECONDS} s per scenario`, [
    '| fault | journeys completed / started | requests | p50 ms | p99 ms | max ms | 5xx (not 503) | 503 | no answer | hung > 10 s | emails | checks passed |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    ...details,
  ]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
