import request from 'supertest';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { GOOD_PASSWORD, signedUpUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { csrfFrom, sessionCookie, submitForm, textOf, uniqueEmail, visitor } from '../support/browser-like';
import { waitForEmail } from '../support/mailbox';

const portal = testPortal();
const { app, runtime } = portal;
afterAll(() => portal.close());
afterEach(() => vi.useRealTimers());

const signIn = (
  agent: ReturnType<typeof visitor>,
  email: string,
  password: string,
  lang: 'fr' | 'en' = 'fr',
) => {
  const path = lang === 'fr' ? '/fr/connexion' : '/en/sign-in';
  return submitForm(agent, path, path, { email, password });
};

/** A user who exists and is active, signed out. */
async function activeUser() {
  const owner = visitor(app);
  const user = await signedUpUser(owner);
  await submitForm(owner, '/fr/tableau-de-bord', '/fr/deconnexion', {});
  return user;
}

describe('signing in and out', () => {
  it('signs in with email and password and lands on the dashboard', async () => {
    const { email, password } = await activeUser();
    const agent = visitor(app);
    const res = await signIn(agent, email.toUpperCase(), password);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/fr/tableau-de-bord');
    expect((await agent.get('/fr/tableau-de-bord')).status).toBe(200);
    const audit = await runtime
      .db('audit_events')
      .join('users', 'users.id', 'audit_events.actor_user_id')
      .where({ 'users.email': email, event: 'signin.succeeded' });
    expect(audit.length).toBeGreaterThan(0);
    expect(audit[0].ip).toBe(agent.ip);
  });

  it('gives the session a new id at sign-in', async () => {
    const { email, password } = await activeUser();
    const agent = visitor(app);
    // A session from before sign-in: the page asked for is kept in it, to return to after.
    const before = sessionCookie(await agent.get('/fr/tableau-de-bord'));
    expect(before).toBeDefined();
    const page = await agent.get('/fr/connexion');
    const res = await agent
      .post('/fr/connexion')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email, password });
    const after = sessionCookie(res);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    // The id from before sign-in is not signed in.
    const old = await visitor(app).get('/fr/tableau-de-bord').set('Cookie', before!);
    expect(old.status).toBe(303);
  });

  it('answers a wrong password and an unknown address with the same message and status', async () => {
    const { email } = await activeUser();
    const wrong = await signIn(visitor(app), email, 'definitely not it');
    const unknown = await signIn(visitor(app), uniqueEmail(), 'definitely not it');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = "L'adresse courriel ou le mot de passe est incorrect.";
    expect(textOf(wrong.text)).toContain(message);
    expect(textOf(unknown.text)).toContain(message);
    expect(wrong.text).not.toContain('definitely not it');
    expect(wrong.text).toContain(`value="${email}"`);
  });

  it('tells a user who has not activated yet, only when the password is right', async () => {
    const agent = visitor(app);
    const email = uniqueEmail();
    await submitForm(agent, '/en/create-account', '/en/create-account', {
      email,
      emailConfirm: email,
      password: GOOD_PASSWORD,
      passwordConfirm: GOOD_PASSWORD,
      terms: 'on',
    });
    const right = await signIn(visitor(app), email, GOOD_PASSWORD, 'en');
    expect(right.status).toBe(403);
    expect(textOf(right.text)).toContain('Your account is not activated yet');
    const wrong = await signIn(visitor(app), email, 'not the right one', 'en');
    expect(wrong.status).toBe(401);
  });

  it('locks the account after 10 failures, refuses even the right password for 15 minutes, and emails its owner', async () => {
    const { email, password } = await activeUser();
    for (let i = 0; i < 10; i += 1) {
      expect((await signIn(visitor(app), email, `wrong password ${i}`)).status).toBe(401);
    }
    const user = await runtime.db('users').where({ email }).first();
    expect(user.locked_until.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect((await signIn(visitor(app), email, password)).status).toBe(401);

    const mail = await waitForEmail(email, /verrouillé/);
    expect(mail.text).toContain('15 minutes');
    const events = await runtime
      .db('audit_events')
      .where({ subject_user_id: user.id, event: 'signin.locked' });
    expect(events).toHaveLength(1);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 15 * 60_000 + 1000);
    expect((await signIn(visitor(app), email, password)).status).toBe(303);
  });

  it('limits failed sign-ins per address of origin before any password is checked', async () => {
    const agent = visitor(app);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1)
      statuses.push((await signIn(agent, uniqueEmail(), 'wrong password')).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
    const limited = await signIn(agent, uniqueEmail(), 'wrong password');
    expect(textOf(limited.text)).toContain('Trop de tentatives');
    expect(await runtime.db('audit_events').where({ event: 'rate_limit.hit', ip: agent.ip })).toHaveLength(2);
  });

  it('refuses a form posted without its CSRF token', async () => {
    const { email, password } = await activeUser();
    const agent = visitor(app);
    await agent.get('/fr/connexion');
    const res = await agent.post('/fr/connexion').type('form').send({ email, password });
    expect(res.status).toBe(403);
    expect(textOf(res.text)).toContain('Le formulaire a expiré');
    const forged = await agent.post('/fr/connexion').type('form').send({ _csrf: 'forged', email, password });
    expect(forged.status).toBe(403);
  });

  it("keeps a visitor's form token in a cookie of its own, not in a session, and takes it only back with that cookie", async () => {
    const { email, password } = await activeUser();
    const agent = visitor(app);
    const page = await agent.get('/fr/connexion');
    // Showing the sign-in page stores nothing: no session, so no session row.
    expect(sessionCookie(page)).toBeUndefined();
    const cookies = page.headers['set-cookie'] as unknown as string[];
    const tokenCookie = cookies.find((c) => c.startsWith('portal.csrf='))!.split(';')[0]!;
    const token = csrfFrom(page.text);
    expect(tokenCookie).toBe(`portal.csrf=${token}`);
    // The same token on the next form, without setting the cookie again.
    const again = await agent.get('/en/sign-in');
    expect(csrfFrom(again.text)).toBe(token);
    expect(again.headers['set-cookie']).toBeUndefined();

    const refused = async (cookie: string | undefined, _csrf: string) => {
      const post = request(app).post('/fr/connexion').set('X-Forwarded-For', agent.ip).type('form');
      const res = await (cookie ? post.set('Cookie', cookie) : post).send({ _csrf, email, password });
      expect(res.status).toBe(403);
      expect(textOf(res.text)).toContain('Le formulaire a expiré');
    };
    // The token without its cookie (a page from another browser), or another browser's token.
    await refused(undefined, token);
    const other = csrfFrom((await visitor(app).get('/fr/connexion')).text);
    await refused(tokenCookie, other);
    // An empty cookie and an empty field, or a planted cookie and the same value in the form.
    await refused('portal.csrf=', '');
    await refused('portal.csrf=planted', 'planted');

    const res = await agent.post('/fr/connexion').type('form').send({ _csrf: token, email, password });
    expect(res.status).toBe(303);
    // Signed in, forms carry the session's token; the visitor's token no longer opens them.
    const dashboard = await agent.get('/fr/tableau-de-bord');
    expect(csrfFrom(dashboard.text)).not.toBe(token);
    expect((await agent.post('/fr/deconnexion').type('form').send({ _csrf: token })).status).toBe(403);
    expect((await agent.get('/fr/tableau-de-bord')).status).toBe(200);
  });

  it('ends the session at sign-out: the old cookie opens nothing', async () => {
    const agent = visitor(app);
    const { email } = await signedUpUser(agent);
    const page = await agent.get('/fr/tableau-de-bord');
    const cookie = sessionCookie(page)!;
    const sid = decodeURIComponent(cookie.split('=')[1]!).slice(2).split('.')[0];
    expect(await runtime.db('session').where({ sid })).toHaveLength(1);
    const res = await agent
      .post('/fr/deconnexion')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/fr/connexion');
    expect(textOf((await agent.get('/fr/connexion')).text)).toContain('Vous êtes déconnecté.');
    expect((await agent.get('/fr/tableau-de-bord')).status).toBe(303);
    const replay = await visitor(app).get('/fr/tableau-de-bord').set('Cookie', cookie);
    expect(replay.status).toBe(303);
    expect(await runtime.db('session').where({ sid })).toHaveLength(0);
    const user = await runtime.db('users').where({ email }).first();
    expect(
      await runtime.db('audit_events').where({ event: 'signout', actor_user_id: user.id, ip: agent.ip }),
    ).toHaveLength(1);
  });

  it('keeps a one-time message for its page when a stray request (a missing file) comes in between', async () => {
    const agent = visitor(app);
    await signedUpUser(agent);
    await submitForm(agent, '/fr/tableau-de-bord', '/fr/deconnexion', {});
    expect((await agent.get('/fr/missing.png')).status).toBe(404);
    expect((await agent.get('/favicon.ico')).status).toBe(301);
    expect(textOf((await agent.get('/fr/connexion')).text)).toContain('Vous êtes déconnecté.');
  });

  it('sends a visitor who is not signed in to the sign-in page, then back where they were going', async () => {
    const { email, password } = await activeUser();
    const agent = visitor(app);
    const res = await agent.get('/en/my-settings');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/en/sign-in');
    const signedIn = await signIn(agent, email, password, 'en');
    expect(signedIn.headers.location).toBe('/en/my-settings');
  });
});

describe('session timeouts', () => {
  it('signs out after 30 minutes without a request', async () => {
    const agent = visitor(app);
    await signedUpUser(agent);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 29 * 60_000);
    expect((await agent.get('/fr/tableau-de-bord')).status).toBe(200);
    vi.setSystemTime(Date.now() + 31 * 60_000);
    expect((await agent.get('/fr/tableau-de-bord')).status).toBe(303);
  });

  it('signs out 12 hours after sign-in however active the user is', async () => {
    const agent = visitor(app);
    await signedUpUser(agent);
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      vi.setSystemTime(start + minutes * 60_000);
      expect((await agent.get('/fr/tableau-de-bord')).status).toBe(200);
    }
    vi.setSystemTime(start + 12 * 60 * 60_000 + 60_000);
    const expired = await agent.get('/fr/tableau-de-bord');
    expect(expired.status).toBe(303);
    expect(textOf((await agent.get(expired.headers.location!)).text)).toContain('Votre session a expiré');
  });
});
