import { createHash } from 'node:crypto';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

/** The table of migration 20261203000026_rate_limits (the shape rate-limiter-flexible reads and writes). */
const TABLE = 'rate_limits';
/** Counted past any limit: express-rate-limit compares the count with the limit, not this. */
const UNBOUNDED = 2 ** 31 - 1;
/** Keys carry what a visitor typed (an email address): a longer one is kept as its hash. */
const LONGEST_KEY = 200;

/**
 * express-rate-limit's count of hits kept in PostgreSQL by rate-limiter-flexible, so every portal
 * instance on the database counts the same hits: one atomic upsert per hit (the window restarts in the
 * same statement once it has passed). Expired rows are deleted by the job queue's pruning
 * (jobs/prune.ts), not by a timer in each process.
 */
export class PostgresHitStore implements Store {
  readonly localKeys = false;
  private limiter: RateLimiterPostgres | undefined;

  constructor(
    private readonly pool: pg.Pool,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.limiter = new RateLimiterPostgres({
      storeClient: this.pool,
      storeType: 'pool',
      tableName: TABLE,
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: this.prefix,
      points: UNBOUNDED,
      duration: Math.ceil(options.windowMs / 1000),
    });
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const counted = await this.use().consume(stored(key), 1);
    return { totalHits: counted.consumedPoints, resetTime: new Date(Date.now() + counted.msBeforeNext) };
  }

  async decrement(key: string): Promise<void> {
    await this.use().reward(stored(key), 1);
  }

  async resetKey(key: string): Promise<void> {
    await this.use().delete(stored(key));
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const counted: RateLimiterRes | null = await this.use().get(stored(key));
    return counted
      ? { totalHits: counted.consumedPoints, resetTime: new Date(Date.now() + counted.msBeforeNext) }
      : undefined;
  }

  private use(): RateLimiterPostgres {
    if (!this.limiter) throw new Error('rate limit store used before express-rate-limit initialised it');
    return this.limiter;
  }
}

function stored(key: string): string {
  return key.length > LONGEST_KEY ? `sha256:${createHash('sha256').update(key).digest('hex')}` : key;
}
