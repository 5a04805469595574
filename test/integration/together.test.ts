import type { Knex } from 'knex';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/knex';
import { Read, together } from '../../src/db/together';
import { testPortal } from '../support/app';

const portal = testPortal();
const db = portal.runtime.db;
afterAll(() => portal.close());

/** How many times the portal's code called pg's query (each a round trip) while `work` ran. */
async function callsDuring<T>(work: () => Promise<T>): Promise<{ value: T; calls: number }> {
  let calls = 0;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    calls++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    return { value: await work(), calls };
  } finally {
    pg.Client.prototype.query = query;
  }
}

// Values an attacker would type, each of which must come back exactly as sent.
const HOSTILE = [
  "O'Brien",
  "'); DROP TABLE users; --",
  "back\\slash \\' quote",
  '$1 $$ $tag$ dollar',
  '"double" -- not a comment /* nor this */',
  'é à ç œ — 日本 🙂',
  '',
];

const values = (text: string) =>
  Read.of(
    db.raw(
      `SELECT ?::text AS text, ?::int AS n, ?::bigint[] AS ids, ?::text[] AS words, ?::boolean AS yes,
              ?::timestamptz AS at, ?::text AS nothing, '$1' AS literal, "$1" AS quoted
         FROM (SELECT 1 AS "$1") t`,
      [
        text,
        -42,
        [1, 2, 3],
        [text, 'b,c', null],
        true,
        new Date('2026-12-04T12:34:56.789Z'),
        null,
      ] as Knex.RawBinding[],
    ),
    ([row]: Record<string, unknown>[]) => row,
  );

describe('several reads in one round trip (together)', () => {
  it('gives each read exactly what it gives alone, hostile text and every kind of value, in one call', async () => {
    for (const text of HOSTILE) {
      const alone = await values(text);
      expect(alone).toEqual({
        text,
        n: -42,
        ids: ['1', '2', '3'],
        words: [text, 'b,c', null],
        yes: true,
        at: new Date('2026-12-04T12:34:56.789Z'),
        nothing: null,
        literal: '$1',
        quoted: 1,
      });
      const count = Read.of(db('users').count<{ count: string }[]>('* as count'), ([row]) =>
        Number(row!.count),
      );
      const { value, calls } = await callsDuring(() => together([values(text), count, Read.value('known')]));
      expect(calls).toBe(1);
      expect(value).toEqual([alone, Number((await db('users').count('* as count'))[0]!.count), 'known']);
    }
  });

  it('sends a read given twice once, and combines reads', async () => {
    const shared = Read.of(db.raw('SELECT ?::int AS n', [7]), ([row]: { n: number }[]) => row!.n);
    const combined = Read.all(
      [shared, Read.of(db.raw('SELECT 3 AS n'), ([row]: { n: number }[]) => row!.n)],
      ([a, b]) => a * b,
    );
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      sent.push(String(args[0]));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      expect(await together([shared, combined, Read.all([shared], ([n]) => n + 1)])).toEqual([7, 21, 8]);
    } finally {
      pg.Client.prototype.query = query;
    }
    expect(sent).toHaveLength(1);
    expect(sent[0]!.match(/SELECT/g)).toHaveLength(2);
  });

  it('runs in order on the transaction inside one, seeing its own writes', async () => {
    const seen = await inTransaction(db, async (tx) => {
      await tx.raw('CREATE TEMPORARY TABLE together_rows (n int) ON COMMIT DROP');
      await tx('together_rows').insert([{ n: 1 }, { n: 2 }]);
      const { value, calls } = await callsDuring(() =>
        together([
          Read.of(tx('together_rows').sum<{ sum: string }[]>('n as sum'), ([row]) => Number(row!.sum)),
          Read.of(tx('together_rows').max<{ max: number }[]>('n as max'), ([row]) => row!.max),
        ]),
      );
      // On the pool a new connection would not see the table; on the transaction's, each is a statement.
      expect(calls).toBe(2);
      return value;
    });
    expect(seen).toEqual([3, 2]);
  });

  it('fails with the database error, and the connection goes back to the pool', async () => {
    const before = db.client.pool.numUsed();
    await expect(
      together([Read.of(db.raw('SELECT 1 AS n')), Read.of(db.raw('SELECT * FROM no_such_table'))]),
    ).rejects.toThrow(/no_such_table/);
    expect(db.client.pool.numUsed()).toBe(before);
    expect(await together([Read.of(db.raw('SELECT 1 AS n')), Read.of(db.raw('SELECT 2 AS n'))])).toEqual([
      [{ n: 1 }],
      [{ n: 2 }],
    ]);
  });
});
