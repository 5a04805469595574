import connectPgSimple from 'connect-pg-simple';
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compressPages, saveBeforeRedirect } from './response';
import { readSessionsWith, throttledTouch } from './session-store';

// What each override relies on in the libraries it replaces a method of. An upgrade that changes one of
// these makes its test fail here, before the override quietly stops doing its job.

/** A store that notes every call, so a test sees which methods express-session uses, and when. */
class NotingStore extends session.MemoryStore {
  calls: string[] = [];
  setDelayMs = 0;
  override get(sid: string, cb: (err: unknown, s?: session.SessionData | null) => void) {
    this.calls.push('get');
    super.get(sid, cb);
  }
  override set(sid: string, s: session.SessionData, cb?: (err?: unknown) => void) {
    this.calls.push('set');
    setTimeout(() => super.set(sid, s, cb), this.setDelayMs);
  }
  override touch(sid: string, s: session.SessionData, cb?: () => void) {
    this.calls.push('touch');
    super.touch(sid, s, cb);
  }
}

/** An app with the portal's session settings: /login changes the session, /page reads it. */
function appWith(store: session.Store) {
  const app = express();
  app.use(session({ secret: 's', store, resave: false, saveUninitialized: false, rolling: true }));
  app.get('/login', (req, res) => {
    (req.session as unknown as { n: number }).n = 1;
    res.send('ok');
  });
  app.get('/page', (req, res) => res.send(String((req.session as unknown as { n?: number }).n)));
  return app;
}

describe('the session store overrides rely on', () => {
  it('connect-pg-simple: a store with get, set, touch and destroy of these arities', () => {
    const PgStore = connectPgSimple(session);
    const store = new PgStore({ conString: 'postgres://unused', pruneSessionInterval: false });
    expect([store.get.length, store.set.length, store.touch.length, store.destroy.length]).toEqual([
      2, 3, 3, 2,
    ]);
  });

  it('express-session: get on every request with a cookie, touch for an unchanged session, set for a changed one', async () => {
    const store = new NotingStore();
    const agent = request.agent(appWith(store));
    await agent.get('/login');
    expect(store.calls).toEqual(['set']);
    store.calls = [];
    await agent.get('/page');
    expect(store.calls).toEqual(['get', 'touch']);
  });

  it('throttledTouch: touches a session once a minute, and a set counts as a touch', async () => {
    const store = throttledTouch(new NotingStore());
    const agent = request.agent(appWith(store));
    await agent.get('/login');
    await agent.get('/page');
    await agent.get('/page');
    expect((store as NotingStore).calls).toEqual(['set', 'get', 'get']);
  });

  it('readSessionsWith: express-session takes the session that the replacement get reads', async () => {
    const store = new NotingStore();
    const agent = request.agent(appWith(store));
    await agent.get('/login');
    const read: string[] = [];
    readSessionsWith(store, async (sid) => {
      read.push(sid);
      return { cookie: new session.Cookie(), n: 42 } as unknown as session.SessionData;
    });
    expect((await agent.get('/page')).text).toBe('42');
    expect(read).toHaveLength(1);
  });
});

describe('the response overrides rely on', () => {
  it('compressPages: res.render sends the page through res.send, as one string', async () => {
    const app = express();
    app.engine('txt', (_path, options, callback) =>
      callback(null, String((options as { body: string }).body)),
    );
    const views = mkdtempSync(join(tmpdir(), 'views-'));
    writeFileSync(join(views, 'page.txt'), '');
    app.set('view engine', 'txt');
    app.set('views', views);
    app.use(compressPages);
    app.get('/', (_req, res) => res.render('page', { body: 'é'.repeat(2000) }));
    // supertest unzips the body; the header says it came gzipped, in one piece with its length.
    const res = await request(app).get('/').set('Accept-Encoding', 'gzip');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-length']).toBeDefined();
    expect(res.text).toBe('é'.repeat(2000));
  });

  it('saveBeforeRedirect: a redirect waits for the session save, with the status and address asked for', async () => {
    const store = new NotingStore();
    store.setDelayMs = 150;
    const app = appWith(store);
    app.use(saveBeforeRedirect);
    let savedAt = 0;
    const set = store.set.bind(store);
    store.set = (sid, s, cb) => set(sid, s, (error) => ((savedAt = Date.now()), cb?.(error)));
    app.post('/form', (req, res) => {
      (req.session as unknown as { done: boolean }).done = true;
      res.redirect(303, '/fr/next');
    });
    // When the status line and headers arrive: a browser follows the redirect then, not at the end.
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const answer = await new Promise<{ status: number; location: string; at: number }>((resolve, reject) =>
      httpRequest({ host: '127.0.0.1', port, path: '/form', method: 'POST' }, (res) => {
        resolve({ status: res.statusCode!, location: String(res.headers.location), at: Date.now() });
        res.resume();
      })
        .on('error', reject)
        .end(),
    );
    server.close();
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/fr/next');
    expect(savedAt).toBeGreaterThan(0);
    expect(savedAt).toBeLessThanOrEqual(answer.at);
  });
});
