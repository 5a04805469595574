import type { Knex } from 'knex';
import pg from 'pg';
import { prepareValue } from 'pg/lib/utils.js';

type Query = Knex.QueryBuilder | Knex.Raw;
type Rows = Record<string, unknown>[];
type ValuesOf<R extends readonly Read<unknown>[]> = {
  -readonly [K in keyof R]: R[K] extends Read<infer T> ? T : never;
};

/** What knex keeps on a builder: the client it runs on (a transaction's is marked). */
type Client = Knex.Client & { transacting?: boolean };

/**
 * A read from the database that can travel with others. Awaited alone it runs as a knex builder does
 * (each of its queries a statement with parameters); handed to `together` with others, every query of
 * every read goes to PostgreSQL in one round trip. On this project's machine a round trip costs the
 * portal more CPU than rendering a section (a socket write and a read, each a trapped system call):
 * the application's page read its sections in ten statements.
 */
export class Read<T> implements PromiseLike<T> {
  private running?: Promise<T>;

  private constructor(
    readonly queries: readonly Query[],
    /** The rows each query gave, in order, made into the read's value. */
    readonly shape: (rowsets: readonly Rows[]) => T,
  ) {}

  /** One query, its rows shaped (by default, the rows as they are). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows come typed by the caller's shape
  static of<T = any[], R = any>(query: Query, shape?: (rows: R[]) => T): Read<T> {
    return new Read([query], ([rows]) => (shape ? shape(rows as R[]) : (rows as T)));
  }

  /** A value known without asking the database (nothing is sent). */
  static value<T>(value: T): Read<T> {
    return new Read([], () => value);
  }

  /** Several reads as one, their values combined. A read given twice is sent once by `together`. */
  static all<const R extends readonly Read<unknown>[], T>(
    reads: R,
    combine: (values: ValuesOf<R>) => T,
  ): Read<T> {
    return new Read(
      reads.flatMap((read) => read.queries),
      (rowsets) => {
        let at = 0;
        const values = reads.map((read) => read.shape(rowsets.slice(at, (at += read.queries.length))));
        return combine(values as ValuesOf<R>);
      },
    );
  }

  /** Runs alone, each query a statement of its own (in parallel, or in order in a transaction). */
  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): PromiseLike<A | B> {
    this.running ??= sendEach(this.queries).then((rowsets) => this.shape(rowsets));
    return this.running.then(onFulfilled, onRejected);
  }
}

async function sendEach(queries: readonly Query[]): Promise<Rows[]> {
  const unique = [...new Set(queries)];
  const answers = await Promise.all(unique.map(async (query) => rowsOf(await query)));
  return queries.map((query) => answers[unique.indexOf(query)]!);
}

/** A builder's answer is its rows; a raw query's, pg's result. */
function rowsOf(answer: unknown): Rows {
  return Array.isArray(answer) ? answer : (answer as pg.QueryResult).rows;
}

/**
 * Several reads in one round trip: their statements sent together as one simple query, the values in
 * the text as literals (each made by pg itself as it would send the parameter, then quoted by pg's
 * escapeLiteral: typed by PostgreSQL from where it stands, as a parameter is). Only for reads on the
 * pool; in a transaction they run in order on it, as alone.
 */
export async function together<const R extends readonly Read<unknown>[]>(reads: R): Promise<ValuesOf<R>> {
  const all = Read.all(reads, (values) => values);
  const unique = [...new Set(all.queries)];
  const client = unique[0] && clientOf(unique[0]);
  if (unique.length < 2 || !client || client.transacting) return all;
  const text = unique.map(inlined).join(';\n');
  const connection = (await client.acquireConnection()) as pg.PoolClient;
  try {
    const answer = (await connection.query(text)) as pg.QueryResult | pg.QueryResult[];
    const results = Array.isArray(answer) ? answer : [answer];
    return all.shape(all.queries.map((query) => results[unique.indexOf(query)]!.rows));
  } finally {
    await client.releaseConnection(connection);
  }
}

function clientOf(query: Query): Client | undefined {
  return (query as unknown as { client?: Client }).client;
}

/**
 * What may hold a "$1" that is not a placeholder, in the order PostgreSQL reads them: a string (E'…' with
 * its backslashes, '…' with doubled quotes), a quoted name, a comment, a dollar-quoted body; then a
 * placeholder.
 */
const TOKENS =
  /[Ee]'(?:[^'\\]|\\[\s\S]|'')*'|'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$|\$(\d+)/g;

/** The statement with its values written in, each placeholder once and every value placed. */
function inlined(query: Query): string {
  const { sql, bindings } = query.toSQL().toNative();
  const placed = new Set<number>();
  const text = sql.replace(TOKENS, (token, _tag, n: string | undefined) => {
    if (n === undefined) return token;
    const index = Number(n) - 1;
    if (index >= bindings.length) throw new Error(`together: ${sql} has no value for $${n}`);
    placed.add(index);
    return literal(bindings[index]);
  });
  if (placed.size !== bindings.length)
    throw new Error(`together: ${sql} places ${placed.size} of its values`);
  return text;
}

function literal(value: unknown): string {
  const prepared: unknown = prepareValue(value);
  if (prepared === null || prepared === undefined) return 'NULL';
  if (typeof prepared !== 'string') throw new Error('together: only values pg sends as text');
  return pg.escapeLiteral(prepared);
}
