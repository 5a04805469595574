import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPortal } from '../support/app';
import { sessionCookie, textOf } from '../support/browser-like';

/**
 * A browser follows a 303 as soon as its headers arrive. The session written by the POST must already be
 * in the database then, however slow that write is: here every session write takes 300 ms more.
 */
const portal = testPortal();
const pool = portal.runtime.sessionPool;
const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
(pool as unknown as { query: typeof query }).query = async (...args) => {
  if (typeof args[0] === 'string' && args[0].startsWith('INSERT INTO "session"')) {
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return query(...args);
};

let origin = '';
const server = portal.app.listen(0, '127.0.0.1');
beforeAll(async () => {
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await portal.close();
});

/** Asks for a page and resolves as soon as the response's headers arrive, before its body ends. */
function headersOf(path: string) {
  return new Promise<IncomingMessage>((resolve, reject) => {
    request(`${origin}${path}`).once('response', resolve).once('error', reject).end();
  });
}

describe('a redirect after a change to the session', () => {
  it('is sent only once the session is saved, so the next page sees the change', async () => {
    // Not signed in: the page remembers where the visitor was going and sends them to sign in, with a
    // message for the sign-in page.
    const res = await headersOf('/fr/tableau-de-bord');
    expect(res.statusCode).toBe(303);
    const cookie = sessionCookie(res);
    expect(cookie).toBeDefined();
    // Followed at once, as a browser does, while the first response may still be finishing.
    const next = await fetch(origin + res.headers.location!, { headers: { cookie: cookie! } });
    res.resume();
    expect(textOf(await next.text())).toContain('Veuillez vous connecter pour continuer.');
  });
});
