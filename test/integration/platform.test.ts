import { get, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config';
import { createApp } from '../../src/app';
import { devMailboxMailer } from '../../src/mail/transport';
import { GOOD_PASSWORD, registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { csrfFrom, sessionCookie, submitForm, textOf, uniqueEmail, visitor } from '../support/browser-like';
import { waitForEmail } from '../support/mailbox';
import request from 'supertest';

const portal = testPortal();
const { app, runtime } = portal;
afterAll(() => portal.close());

describe('configuration', () => {
  it('stops with one clear line on a bad value', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      /^Invalid configuration: DATABASE_URL must start with postgres:\/\/$/,
    );
  });

  it('requires the session secret, database, SMTP, public address and virus scanner in production', () => {
    try {
      parseConfig({ NODE_ENV: 'production' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('SESSION_SECRET is required in production');
      expect((error as Error).message).toContain('DATABASE_URL is required in production');
      expect((error as Error).message).toContain('SMTP_URL is required in production');
      expect((error as Error).message).toContain('PAYMENT_PROVIDER must be stripe in production');
      expect((error as Error).message).toContain('CLAMD_ADDRESS is required in production');
      expect((error as Error).message.split('\n')).toHaveLength(1);
    }
  });
});

describe('security headers and cookies', () => {
  it('sends a strict CSP with a fresh nonce on every page, and the page script carries it', async () => {
    const a = await visitor(app).get('/fr/connexion');
    const b = await visitor(app).get('/fr/connexion');
    const csp = a.headers['content-security-policy'] as string;
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(a.text).toContain(`nonce="${nonce}"`);
    expect(b.headers['content-security-policy']).not.toBe(csp);
    expect(a.headers['x-content-type-options']).toBe('nosniff');
    expect(a.headers['cache-control']).toBe('no-store');
    expect(a.headers['x-powered-by']).toBeUndefined();
  });

  it('sets the session and form-token cookies HttpOnly and SameSite=Lax; in production also Secure with the __Host- prefix and HSTS', async () => {
    const named = (res: { headers: Record<string, unknown> }, name: string) =>
      (res.headers['set-cookie'] as unknown as string[] | undefined)?.find((c) => c.startsWith(`${name}=`));
    // A page that needs signing in keeps the address asked for in a session; a form page gives a token.
    const devSession = named(await visitor(app).get('/fr/tableau-de-bord'), 'portal.sid');
    const devToken = named(await visitor(app).get('/fr/connexion'), 'portal.csrf');
    for (const cookie of [devSession, devToken]) {
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Lax');
      expect(cookie).not.toContain('Secure');
    }

    const production = createApp({
      ...runtime,
      config: parseConfig({
        NODE_ENV: 'production',
        SESSION_SECRET: 'x'.repeat(40),
        DATABASE_URL: 'postgres://unused',
        SMTP_URL: 'smtp://unused',
        BASE_URL: 'https://portal.example',
        PAYMENT_PROVIDER: 'stripe',
        STRIPE_SECRET_KEY: 'sk_test_x',
        STRIPE_WEBHOOK_SECRET: 'whsec_x',
        CLAMD_ADDRESS: '127.0.0.1:3310',
        // Behind a TLS proxy on this host, which says the request came over HTTPS.
        TRUST_PROXY: 'loopback',
      }),
      devMailbox: true,
    });
    const https = (path: string) => request(production).get(path).set('X-Forwarded-Proto', 'https');
    const res = await https('/fr/connexion');
    for (const cookie of [
      named(await https('/fr/tableau-de-bord'), '__Host-portal.sid'),
      named(res, '__Host-portal.csrf'),
    ]) {
      expect(cookie).toContain('Secure');
      expect(cookie).toContain('Path=/');
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Lax');
    }
    expect(res.headers['strict-transport-security']).toContain('max-age=63072000');
    // The development mailbox page does not exist in production.
    expect((await request(production).get('/fr/dev/courriels')).status).toBe(404);
  });

  it('never changes anything on GET: sign-out and every form only answer POST', async () => {
    expect((await visitor(app).get('/fr/deconnexion')).status).toBe(404);
    expect((await visitor(app).get('/fr/mes-parametres/mot-de-passe')).status).toBe(404);
  });
});

describe('compression', () => {
  /** The bytes as they cross the socket (fetch and supertest would unzip them). */
  async function onTheWire(path: string, acceptEncoding: string) {
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      return await new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) =>
        get({ port, host: '127.0.0.1', path, headers: { 'accept-encoding': acceptEncoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject),
      );
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }

  it('gzips a page in one piece, with its length, only for a browser that asks', async () => {
    const zipped = await onTheWire('/fr/connexion', 'gzip, deflate');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['transfer-encoding']).toBeUndefined();
    expect(Number(zipped.headers['content-length'])).toBe(zipped.body.length);
    expect(zipped.headers['vary']).toContain('Accept-Encoding');
    expect(zipped.headers['content-type']).toBe('text/html; charset=utf-8');
    const page = gunzipSync(zipped.body).toString();
    expect(page).toContain('<html lang="fr"');
    expect(zipped.body.length).toBeLessThan(page.length / 2);

    for (const refusing of ['identity', 'gzip;q=0', '']) {
      const plain = await onTheWire('/fr/connexion', refusing);
      expect(plain.headers['content-encoding'], refusing).toBeUndefined();
      expect(plain.body.toString()).toContain('<html lang="fr"');
    }
  });

  it('gzips the stylesheet too, and keeps its validator for the browser cache', async () => {
    const css = await request(app).get('/public/css/site.css').set('Accept-Encoding', 'gzip');
    expect(css.headers['content-encoding']).toBe('gzip');
    expect(css.headers['etag']).toBeDefined();
    const page = await request(app).get('/fr/connexion');
    expect(page.headers['etag']).toBeUndefined();
  });
});

describe('health', () => {
  it('answers /healthz and /readyz (database reachable)', async () => {
    expect((await request(app).get('/healthz')).text).toBe('ok');
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.text).toBe('ready');
  });

  it('says not ready when the database cannot be reached', async () => {
    const broken = testPortal({});
    await broken.runtime.db.destroy();
    const { createDb } = await import('../../src/db/knex');
    const unreachable = createApp({ ...broken.runtime, db: createDb('postgres://nobody@127.0.0.1:1/none') });
    const res = await request(unreachable).get('/readyz');
    expect(res.status).toBe(503);
    await broken.runtime.sessionPool.end();
  });

  it('answers 503 in the page’s language, within seconds, while the database is down', async () => {
    const working = testPortal({});
    const signedUp = visitor(working.app);
    // A visitor with a session (the page asked for, kept to return to after signing in).
    const cookie = sessionCookie(await signedUp.get('/fr/tableau-de-bord'))!;
    expect(cookie).toBeDefined();
    await working.close();
    const { createDb } = await import('../../src/db/knex');
    const pg = (await import('pg')).default;
    const down = 'postgres://nobody@127.0.0.1:1/none';
    const sessionPool = new pg.Pool({ connectionString: down, connectionTimeoutMillis: 5000 });
    const server = createApp({ ...working.runtime, db: createDb(down), sessionPool }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const [path, lang, words] of [
      ['/fr/connexion', 'fr', 'Service momentanément indisponible'],
      ['/en/sign-in', 'en', 'Service temporarily unavailable'],
      ['/fr/services-code-batiment/demandes', 'fr', 'Service momentanément indisponible'],
    ] as const) {
      const started = Date.now();
      const res = await fetch(origin + path, { headers: { cookie } });
      const text = await res.text();
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(res.status, path).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(text).toContain(`<html lang="${lang}">`);
      expect(textOf(text)).toContain(words);
      expect(text).not.toMatch(/ECONNREFUSED|at .*\.ts:/);
    }
    // A first visit, without a session, still gets the sign-in page: showing it reads nothing stored.
    const firstVisit = await fetch(`${origin}/fr/connexion`);
    expect(firstVisit.status).toBe(200);
    expect(textOf(await firstVisit.text())).toContain('Connexion');
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await sessionPool.end();
  });
});

describe('bad input never gives a 500', () => {
  const forms = [
    '/fr/connexion',
    '/fr/creer-un-compte',
    '/fr/renvoyer-le-lien-d-activation',
    '/fr/mot-de-passe-oublie',
    '/fr/activer-mon-compte',
    '/fr/nouveau-mot-de-passe',
    '/fr/confirmer-mon-courriel',
  ];
  const bodies: Record<string, string>[] = [
    {},
    { email: 'x'.repeat(5000) },
    { email: '<script>alert(1)</script>@x.y', password: "' OR 1=1 --" },
    { token: '../../etc/passwd', password: '\u0000' },
    { email: '\ud83d\ude00@\u00e9.ca', emailConfirm: '\u202e', password: '𝒫'.repeat(200), terms: 'yes' },
  ];

  it('answers every malformed form with a page, never a server error, and escapes what it shows', async () => {
    for (const path of forms) {
      for (const body of bodies) {
        const agent = visitor(app);
        const page = await agent.get('/fr/connexion');
        const res = await agent
          .post(path)
          .type('form')
          .send({ _csrf: csrfFrom(page.text), ...body });
        expect(res.status, `${path} ${JSON.stringify(body).slice(0, 60)}`).toBeLessThan(500);
        expect(res.text).not.toContain('<script>alert(1)</script>');
      }
    }
  });

  it('refuses a NUL byte beside its field (PostgreSQL would refuse it), storing nothing', async () => {
    const agent = visitor(app);
    const { email } = await registeredUser(agent);
    const form = '/fr/services-code-batiment/demandes/nouvelle';
    const res = await submitForm(agent, form, form, {
      permitType: 'house',
      floorArea: '120',
      streetNumber: '110',
      streetName: 'LAURIER AVE OUEST/WEST',
      unit: '\u0000',
      postalCode: 'K1P 1J1',
      description: 'Maison',
    });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain("Ce champ contient un caractère qui n'est pas accepté.");
    expect(res.text).toContain('id="unit-error"');
    const user = await runtime.db('users').where({ email }).first('id');
    expect(await runtime.db('applications').where({ created_by: user.id })).toHaveLength(0);
  });

  it('treats repeated fields (arrays) as bad input, not a crash', async () => {
    const agent = visitor(app);
    const page = await agent.get('/fr/creer-un-compte');
    const res = await agent
      .post('/fr/creer-un-compte')
      .type('form')
      .send(`_csrf=${csrfFrom(page.text)}&email=a@b.ca&email=c@d.ca&password=x&password=y`);
    expect(res.status).toBe(422);
  });

  it('refuses an oversized body with a page', async () => {
    const agent = visitor(app);
    const page = await agent.get('/fr/connexion');
    const res = await agent
      .post('/fr/connexion')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'a'.repeat(30_000) });
    expect(res.status).toBe(413);
    expect(res.text).toContain('<html lang="fr">');
  });
});

describe('logs', () => {
  it('are JSON lines with a request id, and hold no password or token', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logged = testPortal({ logger: pino({ level: 'info' }, sink) });
    const agent = visitor(logged.app);
    const email = uniqueEmail();
    await submitForm(agent, '/fr/creer-un-compte', '/fr/creer-un-compte', {
      email,
      emailConfirm: email,
      password: GOOD_PASSWORD,
      passwordConfirm: GOOD_PASSWORD,
      terms: 'on',
    });
    const link = (await waitForEmail(email)).links[0]!;
    const token = new URL(link).searchParams.get('token')!;
    const res = await agent.get(new URL(link).pathname + new URL(link).search);
    expect(res.headers['x-request-id']).toMatch(/^[\w-]+$/);
    await logged.close();
    const all = lines.join('');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(all).toContain(String(res.headers['x-request-id']));
    expect(all).not.toContain(GOOD_PASSWORD);
    expect(all).not.toContain(token);
  });
});

describe('development mailbox', () => {
  it('keeps mails in the database and lists them with their links, outside production only', async () => {
    const dev = testPortal({ devMailbox: true });
    const subject = `Test ${uniqueEmail()}`;
    await devMailboxMailer(dev.runtime.db).send({
      to: 'newcomer@example.test',
      subject,
      text: 'Activer mon compte: http://localhost:3000/fr/activer-mon-compte?token=abc',
      html: '<p>x</p>',
      attachments: [
        {
          filename: 'PC-2026-000001.pdf',
          contentType: 'application/pdf',
          content: Buffer.from('%PDF-1.3 x'),
        },
      ],
    });
    const list = await request(dev.app).get('/dev/mail');
    expect(list.status).toBe(303);
    const page = await request(dev.app).get('/fr/dev/courriels');
    expect(page.status).toBe(200);
    expect(page.text).toContain(subject);
    const id = /href="\?id=(\d+)">Test/.exec(page.text)?.[1];
    const message = await request(dev.app).get(`/fr/dev/courriels?id=${id}`);
    expect(message.text).toContain('href="http://localhost:3000/fr/activer-mon-compte?token=abc"');
    // The attachment (a permit's PDF) is offered, and comes back as sent.
    expect(textOf(message.text)).toContain('Pièces jointes PC-2026-000001.pdf');
    const file = await request(dev.app).get(`/fr/dev/courriels?id=${id}&attachment=0`).buffer(true);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toBe('attachment; filename="PC-2026-000001.pdf"');
    expect(Buffer.from(file.body as Buffer).toString()).toBe('%PDF-1.3 x');
    expect((await request(dev.app).get(`/fr/dev/courriels?id=${id}&attachment=1`)).status).toBe(404);
    await dev.close();
    // With SMTP configured, the page does not exist.
    expect((await request(app).get('/fr/dev/courriels')).status).toBe(404);
  });
});
