import type { Request, RequestHandler } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import type pg from 'pg';
import { normaliseEmail } from '../domain/formatting';
import { PostgresHitStore } from './rate-limit-store';

const MINUTE = 60 * 1000;

export interface RateLimitSettings {
  /** Where hits are counted: PostgreSQL, shared by every instance of the portal on the database. */
  pool: pg.Pool;
  /** Multiplies every limit: tests that walk many journeys from one address can raise it. */
  scale: number;
  /** Told each time a limit refuses a request (the audit trail records it). */
  onLimit?: (req: Request) => Promise<void>;
}

/**
 * Keyed on the address typed, so nobody can flood one person's inbox from many machines. What cannot be
 * an address (empty, repeated, "not-an-email") is not counted: the form refuses it and sends nothing, and
 * counting it would put every such mistake, everyone's, in one shared bucket (the address limit then
 * answered 429 to the fourth person in an hour who forgot to type their address).
 */
function perEmail(field: string): Pick<Options, 'keyGenerator' | 'skip'> {
  const typed = (req: Request): string | undefined => {
    const value: unknown = req.body?.[field];
    return typeof value === 'string' ? normaliseEmail(value) : undefined;
  };
  return {
    keyGenerator: (req) => `email:${typed(req)}`,
    skip: (req) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(typed(req) ?? ''),
  };
}

/**
 * Limits that act before any password is hashed or email queued, counted in PostgreSQL so that two
 * instances do not give twice the tries. Per account, sign-in also has the lockout kept in the database
 * (10 failures lock it for 15 minutes).
 */
export function rateLimits({ pool, scale, onLimit }: RateLimitSettings) {
  const n = (limit: number) => Math.max(1, Math.round(limit * scale));
  const limiter = (name: string, options: Partial<Options>): RequestHandler =>
    rateLimit({
      store: new PostgresHitStore(pool, name),
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: async (req, res) => {
        req.log?.warn({ path: req.path }, 'rate limit reached');
        await onLimit?.(req).catch(() => undefined);
        res.status(429).render('errors/too-many-requests');
      },
      ...options,
    });
  return {
    signIn: limiter('sign-in', { windowMs: 15 * MINUTE, limit: n(30), skipSuccessfulRequests: true }),
    signUp: [
      limiter('sign-up', { windowMs: 60 * MINUTE, limit: n(10) }),
      limiter('sign-up-email', { windowMs: 60 * MINUTE, limit: n(3), ...perEmail('email') }),
    ],
    emailLink: [
      limiter('email-link', { windowMs: 60 * MINUTE, limit: n(10) }),
      limiter('email-link-email', { windowMs: 60 * MINUTE, limit: n(3), ...perEmail('email') }),
    ],
    tokenForm: limiter('token-form', { windowMs: 15 * MINUTE, limit: n(20), skipSuccessfulRequests: true }),
    // The public permit check: a code is 42 bits, and these few tries an hour make guessing one hopeless.
    verifyPermit: limiter('verify-permit', { windowMs: 60 * MINUTE, limit: n(30) }),
    settings: limiter('settings', {
      windowMs: 60 * MINUTE,
      limit: n(10),
      keyGenerator: (req) => `user:${req.user?.id ?? 'none'}`,
    }),
  };
}

export type RateLimits = ReturnType<typeof rateLimits>;
