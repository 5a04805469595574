import { parseArgs } from 'node:util';
import { AUDIT_EVENTS } from '../../src/audit/audit';
import { resolveDatabase } from '../../src/db/database-url';
import { createDb, type Db } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrations';
import { auditLog, type AuditFilter } from '../../src/features/staff/audit-log-queries';
import { writeFigures } from '../portal-process';

/**
 * npm run bench:audit [-- --rows 50000000] [--smoke]
 * The audit log is kept forever: this fills it with generated rows (PostgreSQL's generate_series, in
 * chunks, in a database of its own that later runs reuse) and times the staff's audit page query for
 * each kind of filter the page offers, with its plan. The full run writes its table into BENCHMARKS.md.
 */
const { values } = parseArgs({
  options: { rows: { type: 'string' }, smoke: { type: 'boolean', default: false } },
});
const smoke = values.smoke!;
const ROWS = Number(values.rows ?? (smoke ? 200_000 : 50_000_000));
const USERS = smoke ? 1_000 : 100_000;
const CHUNK = 2_000_000;
const RUNS = smoke ? 5 : 50;
const SECRET = 'benchmark-session-secret-0123456789-abcdef';
/** Five years of events, the newest now. */
const SPAN_SECONDS = 5 * 365 * 24 * 3600;

async function main() {
  const database = await resolveDatabase(process.env.DATABASE_URL, {
    cluster: 'pg-bench',
    database: smoke ? 'portal_audit_smoke' : 'portal_audit_bench',
    log: console.error,
  });
  const db = createDb(database.url);
  try {
    await migrateLatest(db, { sessionSecret: SECRET });
    await fill(db);
    const rows = await measure(db);
    report(rows);
  } finally {
    await db.destroy();
    await database.embedded?.stop();
  }
}

/** Accounts to act, then the missing events, oldest first (as they are written), in chunks. */
async function fill(db: Db): Promise<void> {
  await db.raw(
    `INSERT INTO users (email, password_hash, status, locale, terms_accepted_at, activated_at)
     SELECT 'audit.' || g || '@example.test', 'unused', 'active', 'fr', now(), now()
       FROM generate_series(1, ?) g
     ON CONFLICT (email) DO NOTHING`,
    [USERS],
  );
  const ids = await db('users').whereLike('email', 'audit.%@example.test').orderBy('id').pluck('id');
  const [first, last] = [Number(ids[0]), Number(ids.at(-1))];
  let have = Number((await db('audit_events').count('* as n').first())?.n ?? 0);
  const started = Date.now();
  while (have < ROWS) {
    const n = Math.min(CHUNK, ROWS - have);
    // The events' mix: most are sign-ins and downloads, a few are rare (one in 10,000 is the last kind).
    // User 1 of the range is a heavy actor (one event in a hundred), as a busy staff member would be.
    await db.raw(
      `WITH p AS (SELECT ?::float8 AS span, ?::bigint AS have, ?::bigint AS total, ?::text[] AS events,
                         ?::bigint AS first, ?::bigint AS last)
       INSERT INTO audit_events (occurred_at, event, actor_user_id, subject_user_id, ip, details)
       SELECT now() - make_interval(secs => p.span * (1 - (p.have + g)::float8 / p.total)),
              CASE WHEN g % 10000 = 0 THEN 'document.infected'
                   ELSE p.events[1 + (g * 7) % (cardinality(p.events))] END,
              CASE WHEN g % 100 = 0 THEN p.first ELSE p.first + (g * 7919) % (p.last - p.first + 1) END,
              p.first + (g * 104729) % (p.last - p.first + 1),
              ('10.' || (g % 250) || '.' || (g / 250 % 250) || '.' || (g % 7 + 1))::inet,
              jsonb_build_object('path', '/fr/connexion')
         FROM generate_series(1, ?::bigint) g, p`,
      [SPAN_SECONDS, have, ROWS, AUDIT_EVENTS.filter((e) => e !== 'document.infected'), first, last, n],
    );
    have += n;
    console.error(
      `audit_events: ${have.toLocaleString('en')} rows (${Math.round((Date.now() - started) / 1000)} s)`,
    );
  }
  await db.raw('ANALYZE audit_events');
}

interface Row {
  filter: string;
  rows: number;
  p50: number;
  p99: number;
  plan: string;
}

async function measure(db: Db): Promise<Row[]> {
  const heavy = await db('users').where({ email: 'audit.1@example.test' }).first('email');
  const light = await db('users')
    .where({ email: `audit.${Math.round(USERS / 2)}@example.test` })
    .first('email');
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000);
  const filters: [string, AuditFilter][] = [
    ['none (the newest 200)', {}],
    ['event: signin.failed (common)', { event: 'signin.failed' }],
    ['event: document.infected (1 in 10,000)', { event: 'document.infected' }],
    ['actor: a busy one (1 event in 100)', { actor: heavy.email }],
    ['actor: an ordinary one', { actor: light.email }],
    ['subject: an ordinary one', { subject: light.email }],
    ['one day, two years ago', { from: day(731), to: day(730) }],
    ['event signin.failed, one day two years ago', { event: 'signin.failed', from: day(731), to: day(730) }],
    ['busy actor and a rare event', { actor: heavy.email, event: 'document.infected' }],
    ['ordinary actor, one month', { actor: light.email, from: day(400), to: day(370) }],
  ];
  const total = Number((await db('audit_events').count('* as n').first())?.n ?? 0);
  const rows: Row[] = [];
  for (const [name, filter] of filters) {
    await auditLog(db, filter); // warm the cache, as a page someone opens twice
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < RUNS; i += 1) {
      const started = performance.now();
      found = (await auditLog(db, filter)).length;
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const { sql, bindings } = auditLog(db, filter).toSQL();
    const explained = await db.raw(`EXPLAIN ${sql}`, bindings);
    const plan = (explained.rows as { 'QUERY PLAN': string }[])
      .map((r) => r['QUERY PLAN'])
      .filter((line) => /Index|Seq Scan|Bitmap/.test(line))
      .map((line) =>
        /(Index Scan(?: Backward)?|Index Only Scan|Seq Scan|Bitmap \w+ Scan) (?:using )?(?:on )?(\w+)/.exec(
          line,
        ),
      )
      .filter((m): m is RegExpExecArray => !!m && !/^(users|companies|applications)/.test(m[2]!))
      .map((m) => `${m[1]} ${m[2]}`)
      .join(', ');
    rows.push({
      filter: name,
      rows: found,
      p50: round(times[Math.floor(times.length / 2)]!),
      p99: round(times[Math.min(times.length - 1, Math.floor(times.length * 0.99))]!),
      plan,
    });
    console.error(`${name}: ${found} rows, p50 ${rows.at(-1)!.p50} ms, p99 ${rows.at(-1)!.p99} ms (${plan})`);
  }
  console.error(`audit_events: ${total.toLocaleString('en')} rows`);
  return rows;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

function report(rows: Row[]) {
  const table = [
    `| filter (${ROWS.toLocaleString('en')} events) | rows shown | p50 ms | p99 ms | audit_events read through |`,
    '|---|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.filter} | ${r.rows} | ${r.p50} | ${r.p99} | ${r.plan} |`),
  ].join('\n');
  console.log(table);
  if (!smoke && !values.rows)
    writeFigures('bench:audit', `the audit page's query, ${RUNS} times per filter after one warm-up`, [
      table,
    ]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
