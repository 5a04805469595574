import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from './project-root';
import { z } from 'zod';
import { GUIDE_MUNICIPALITY, type Municipality } from './domain/municipality';

/**
 * The only reader of process.env. Parsed once at start-up; a bad value stops the process with one line.
 */
const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).optional(),
    WEB_CONCURRENCY: z.coerce.number().int().min(1, 'must be at least 1').max(64).optional(),
    BASE_URL: z.url().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
      .optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
    MAIL_FROM: z.string().min(3).default('Services du Code du bâtiment <no-reply@portal.localhost>'),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    TRUST_PROXY: z
      .string()
      .regex(/^(false|true|\d{1,2}|[\w.:/, -]+)$/, 'must be false, true, a hop count or proxy addresses')
      .default('false'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PAYMENT_PROVIDER: z.enum(['dev', 'stripe']).optional(),
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_\w+$/, 'must be a Stripe secret or restricted key (sk_… or rk_…)')
      .optional(),
    // Another address for Stripe's API (a Stripe-compatible test server); unset: Stripe itself.
    STRIPE_API_URL: z.url().optional(),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_\w+$/, 'must be a Stripe webhook signing secret (whsec_…)')
      .optional(),
    // Where documents rest: a folder (default .data/objects), or an S3-compatible bucket when S3_BUCKET is set.
    STORAGE_DIR: z.string().min(1).optional(),
    S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
      .optional(),
    // Another S3-compatible service than AWS (its address); unset: AWS in S3_REGION.
    S3_ENDPOINT: z.url().optional(),
    S3_REGION: z.string().min(1).default('ca-central-1'),
    // Unset: the AWS SDK's own chain (its environment variables, an instance or task role).
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    // clamd, the virus scanner's daemon: host:port, or the path of its Unix socket.
    CLAMD_ADDRESS: z
      .string()
      .regex(/^(\/\S+|[\w.-]+:\d{1,5})$/, 'must be host:port or the path of a Unix socket')
      .optional(),
    // Where uploads are written while they arrive and are checked (default: the system's temporary folder).
    UPLOAD_TMP_DIR: z.string().min(1).optional(),
    // Whose portal it is (default: the guide's, Ottawa's).
    CITY_NAME_FR: z.string().trim().min(2).max(80).default(GUIDE_MUNICIPALITY.city.fr),
    CITY_NAME_EN: z.string().trim().min(2).max(80).default(GUIDE_MUNICIPALITY.city.en),
    ACCOUNT_SERVICE_NAME_FR: z.string().trim().min(2).max(80).default(GUIDE_MUNICIPALITY.accountService.fr),
    ACCOUNT_SERVICE_NAME_EN: z.string().trim().min(2).max(80).default(GUIDE_MUNICIPALITY.accountService.en),
    SUPPORT_EMAIL: z.email('must be an email address').default(GUIDE_MUNICIPALITY.supportEmail),
  })
  .superRefine((env, ctx) => {
    if (!!env.S3_ACCESS_KEY_ID !== !!env.S3_SECRET_ACCESS_KEY)
      ctx.addIssue({ code: 'custom', path: ['S3_SECRET_ACCESS_KEY'], message: 'goes with S3_ACCESS_KEY_ID' });
    if (env.PAYMENT_PROVIDER === 'stripe')
      for (const key of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const)
        if (!env[key])
          ctx.addIssue({ code: 'custom', path: [key], message: 'is required with PAYMENT_PROVIDER=stripe' });
    if (env.NODE_ENV !== 'production') return;
    // The development payment page takes no money: production pays through a real provider.
    if (env.PAYMENT_PROVIDER !== 'stripe')
      ctx.addIssue({ code: 'custom', path: ['PAYMENT_PROVIDER'], message: 'must be stripe in production' });
    // Nobody may download a file no scanner has read: production refuses to start without clamd.
    for (const key of ['SESSION_SECRET', 'DATABASE_URL', 'SMTP_URL', 'BASE_URL', 'CLAMD_ADDRESS'] as const) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required in production' });
    }
  });

export type Env = z.infer<typeof schema>;

export interface Config {
  env: Env['NODE_ENV'];
  production: boolean;
  port: number;
  /** The interface to listen on: loopback outside production, so development pages stay on this machine. */
  host: string;
  /** Portal processes sharing the port (one per core unless set). */
  webConcurrency: number;
  /** Public origin used in links inside emails. */
  baseUrl: string;
  /** Unset means: start the embedded PostgreSQL. */
  databaseUrl: string | undefined;
  /** Unset (outside production) means: keep mails in the development mailbox. */
  smtpUrl: string | undefined;
  mailFrom: string;
  sessionSecret: string;
  /**
   * Express `trust proxy`: which proxies may say who the client is (X-Forwarded-For and -Proto). None by
   * default: otherwise any process that reaches the port picks the address that rate limits count.
   */
  trustProxy: boolean | number | string;
  logLevel: Env['LOG_LEVEL'];
  /** Who takes payments: the development payment page (never in production), or Stripe. */
  payments:
    { provider: 'dev' } | { provider: 'stripe'; secretKey: string; webhookSecret: string; apiUrl?: string };
  /** Where documents rest. */
  storage:
    | { kind: 'folder'; dir: string }
    | {
        kind: 's3';
        bucket: string;
        region: string;
        endpoint?: string;
        credentials?: { accessKeyId: string; secretAccessKey: string };
      };
  /** clamd's address; unset (never in production) means documents are kept "not scanned". */
  clamdAddress: string | undefined;
  uploadTmpDir: string;
  municipality: Municipality;
}

export class ConfigError extends Error {}

export function parseConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    production: env.NODE_ENV === 'production',
    port: env.PORT,
    host: env.HOST ?? (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    webConcurrency: env.WEB_CONCURRENCY ?? availableParallelism(),
    baseUrl: (env.BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    databaseUrl: env.DATABASE_URL,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    // Outside production a fixed development secret keeps sessions across restarts; production requires one.
    sessionSecret: env.SESSION_SECRET ?? 'development-only-secret-do-not-use-in-production',
    trustProxy: trustProxy(env.TRUST_PROXY),
    logLevel: env.LOG_LEVEL,
    payments:
      env.PAYMENT_PROVIDER === 'stripe'
        ? {
            provider: 'stripe',
            secretKey: env.STRIPE_SECRET_KEY!,
            webhookSecret: env.STRIPE_WEBHOOK_SECRET!,
            ...(env.STRIPE_API_URL ? { apiUrl: env.STRIPE_API_URL } : {}),
          }
        : { provider: 'dev' },
    storage: env.S3_BUCKET
      ? {
          kind: 's3',
          bucket: env.S3_BUCKET,
          region: env.S3_REGION,
          ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
          ...(env.S3_ACCESS_KEY_ID
            ? {
                credentials: {
                  accessKeyId: env.S3_ACCESS_KEY_ID,
                  secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
                },
              }
            : {}),
        }
      : { kind: 'folder', dir: env.STORAGE_DIR ?? join(projectRoot, '.data', 'objects') },
    clamdAddress: env.CLAMD_ADDRESS,
    uploadTmpDir: env.UPLOAD_TMP_DIR ?? join(tmpdir(), 'permit-portal-uploads'),
    municipality: {
      city: { fr: env.CITY_NAME_FR, en: env.CITY_NAME_EN },
      accountService: { fr: env.ACCOUNT_SERVICE_NAME_FR, en: env.ACCOUNT_SERVICE_NAME_EN },
      supportEmail: env.SUPPORT_EMAIL,
    },
  };
}

/** TRUST_PROXY as Express takes it: a boolean, a number of hops, or a list of addresses and subnets. */
function trustProxy(value: string): boolean | number | string {
  if (value === 'false' || value === 'true') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}
