import { inject } from 'vitest';
import { pino, type Logger } from 'pino';
import { createApp } from '../../src/app';
import { parseConfig } from '../../src/config';
import { buildRuntime, type Runtime } from '../../src/services';
import { createPinVault } from '../../src/crypto/pin-vault';
import { testSessionSecret } from './global-setup';

export interface TestPortal {
  app: ReturnType<typeof createApp>;
  runtime: Runtime;
  close: () => Promise<void>;
}

/**
 * The real portal on the test database. Its emails are queued in PostgreSQL and sent by the suite's
 * mail worker through the real SMTP sink.
 */
export function testPortal(
  options: {
    env?: Record<string, string>;
    logger?: Logger;
    devMailbox?: boolean;
    rateLimitScale?: number;
    /** Another database than the suite's (a scratch one, for a test that compares whole tables). */
    databaseUrl?: string;
  } = {},
): TestPortal {
  const config = parseConfig({
    NODE_ENV: 'test',
    BASE_URL: 'http://portal.test',
    SESSION_SECRET: testSessionSecret(),
    // Each visitor plays a user behind a proxy on this host, with an address of its own (X-Forwarded-For).
    TRUST_PROXY: 'loopback',
    ...(options.devMailbox ? {} : { SMTP_URL: inject('smtpUrl') }),
    ...inject('documentsEnv'),
    ...options.env,
  });
  const runtime = buildRuntime(
    config,
    options.databaseUrl ?? inject('databaseUrl'),
    options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  );
  if (options.rateLimitScale) runtime.rateLimitScale = options.rateLimitScale;
  const app = createApp(runtime);
  return { app, runtime, close: () => runtime.close() };
}

/** How the test portals keep PINs (the same secret): for tests that make records or read hashes. */
export const testPins = createPinVault(testSessionSecret());
