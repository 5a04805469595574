import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { hashToken } from '../../src/features/accounts/tokens';
import { activationLink, GOOD_PASSWORD, signedUpUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submitForm, textOf, uniqueEmail, visitor } from '../support/browser-like';
import { emailsTo, waitForEmail, waitForEmails } from '../support/mailbox';

const portal = testPortal();
const { app, runtime } = portal;
afterAll(() => portal.close());
afterEach(() => vi.useRealTimers());

function signUp(agent: ReturnType<typeof visitor>, email: string, lang: 'fr' | 'en' = 'fr') {
  const path = lang === 'fr' ? '/fr/creer-un-compte' : '/en/create-account';
  return submitForm(agent, path, path, {
    email,
    emailConfirm: email,
    password: GOOD_PASSWORD,
    passwordConfirm: GOOD_PASSWORD,
    terms: 'on',
  });
}

describe('creating and activating an account (J1)', () => {
  it('emails an activation link that opens a page asking for the password, then the dashboard', async () => {
    const agent = visitor(app);
    const email = uniqueEmail();
    const created = await signUp(agent, email);
    expect(created.status).toBe(303);
    expect(created.headers.location).toBe('/fr/courriel-envoye?for=signUp');
    expect(textOf((await agent.get(created.headers.location!)).text)).toContain('Vérifiez vos courriels');

    const user = await runtime.db('users').where({ email }).first();
    expect(user.status).toBe('pending');
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    const mail = await waitForEmail(email);
    expect(mail.subject).toBe('Activez votre compte');
    expect(mail.text).toContain('Activer mon compte');
    expect(mail.text).toContain('48 heures');
    expect(mail.html).toContain('lang="fr"');
    const link = await activationLink(email);
    expect(link).toMatch(/^\/fr\/activer-mon-compte\?token=[\w-]{43}$/);

    const page = await agent.get(link);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain('Activer mon compte');

    const activated = await submitForm(agent, link, '/fr/activer-mon-compte', {
      token: link.split('token=')[1]!,
      password: GOOD_PASSWORD,
    });
    expect(activated.status).toBe(303);
    expect(activated.headers.location).toBe('/fr/tableau-de-bord');
    const dashboard = await agent.get('/fr/tableau-de-bord');
    expect(dashboard.status).toBe(200);
    expect(textOf(dashboard.text)).toContain('Tableau de bord');
    expect(textOf(dashboard.text)).toContain('Construction, planification et aménagement du territoire');
    expect((await runtime.db('users').where({ email }).first()).status).toBe('active');
  });

  it('writes the activation email in English for an English signup', async () => {
    const agent = visitor(app);
    const email = uniqueEmail();
    await signUp(agent, email, 'en');
    const mail = await waitForEmail(email);
    expect(mail.subject).toBe('Activate your account');
    expect(mail.links.some((l) => l.includes('/en/activate-my-account?token='))).toBe(true);
  });

  it('refuses the wrong password on the activation page and keeps the link usable', async () => {
    const agent = visitor(app);
    const email = uniqueEmail();
    await signUp(agent, email);
    const link = await activationLink(email);
    const token = link.split('token=')[1]!;
    const wrong = await submitForm(agent, link, '/fr/activer-mon-compte', {
      token,
      password: 'not the password at all',
    });
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.text)).toContain("Ce mot de passe n'est pas celui que vous avez choisi");
    expect(wrong.text).not.toContain('not the password at all');
    const right = await submitForm(agent, link, '/fr/activer-mon-compte', { token, password: GOOD_PASSWORD });
    expect(right.status).toBe(303);
  });

  it('refuses a link used once already', async () => {
    const agent = visitor(app);
    const { email } = await signedUpUser(agent);
    const link = (await waitForEmail(email)).links[0]!;
    const again = await visitor(app).get(new URL(link).pathname + new URL(link).search);
    expect(again.status).toBe(410);
    expect(textOf(again.text)).toContain("Ce lien d'activation ne fonctionne plus");
  });

  it('refuses an activation link after 48 hours', async () => {
    const agent = visitor(app);
    const email = uniqueEmail();
    await signUp(agent, email);
    const link = await activationLink(email);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 48 * 3600 * 1000 + 60_000);
    const late = await agent.get(link);
    expect(late.status).toBe(410);
    const posted = await submitForm(visitor(app), '/fr/connexion', '/fr/activer-mon-compte', {
      token: link.split('token=')[1]!,
      password: GOOD_PASSWORD,
    });
    expect(posted.status).toBe(410);
    expect((await runtime.db('users').where({ email }).first()).status).toBe('pending');
  });

  it('still accepts the link just before 48 hours', async () => {
    const agent = visitor(app);
    const email = uniqueEmail();
    await signUp(agent, email);
    const link = await activationLink(email);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 47 * 3600 * 1000);
    expect((await agent.get(link)).status).toBe(200);
  });

  it('never stores the token in clear, only its SHA-256, and carries at least 128 random bits', async () => {
    const agent = visitor(app);
    const email = uniqueEmail();
    await signUp(agent, email);
    const token = (await activationLink(email)).split('token=')[1]!;
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    const user = await runtime.db('users').where({ email }).first();
    const rows = await runtime.db('account_tokens').where({ user_id: user.id });
    expect(rows).toHaveLength(1);
    expect(Buffer.compare(rows[0].token_hash, hashToken(token))).toBe(0);
    // Nowhere in the database, the job queue included, does the token appear in clear.
    const dump = await runtime.db.raw(
      `SELECT count(*)::int AS n FROM (
         SELECT row_to_json(t)::text AS j FROM account_tokens t
         UNION ALL SELECT row_to_json(u)::text FROM users u
         UNION ALL SELECT row_to_json(a)::text FROM audit_events a
         UNION ALL SELECT row_to_json(j)::text FROM graphile_worker._private_jobs j
       ) s WHERE j LIKE ?`,
      [`%${token}%`],
    );
    expect(dump.rows[0].n).toBe(0);
  });

  it('answers a signup with a taken address exactly as a new one, and tells the owner instead', async () => {
    const owner = visitor(app);
    const { email } = await signedUpUser(owner);
    const before = await runtime.db('users').where({ email }).first();

    const fresh = await signUp(visitor(app), uniqueEmail());
    const taken = await signUp(visitor(app), email.toUpperCase());
    expect(taken.status).toBe(fresh.status);
    expect(taken.headers.location).toBe(fresh.headers.location);

    const notice = await waitForEmail(email, /Tentative/);
    expect(notice.text).toContain('aucun nouveau compte');
    const after = await runtime.db('users').where({ email }).first();
    expect(after.password_hash).toBe(before.password_hash);
    expect(await runtime.db('users').whereRaw('lower(email) = ?', [email])).toHaveLength(1);
  });

  it('resends a fresh activation link that replaces the old one; unknown and active addresses look the same', async () => {
    const agent = visitor(app);
    const email = uniqueEmail();
    await signUp(agent, email);
    const first = await activationLink(email);

    const path = '/fr/renvoyer-le-lien-d-activation';
    const resent = await submitForm(visitor(app), path, path, { email });
    const unknown = await submitForm(visitor(app), path, path, { email: uniqueEmail() });
    expect(resent.status).toBe(303);
    expect(unknown.status).toBe(303);
    expect(unknown.headers.location).toBe(resent.headers.location);

    const mails = await waitForEmails(email, 2);
    const second = new URL(mails[1]!.links.find((l) => l.includes('token='))!);
    expect(second.search).not.toBe(first.split('?')[1]);
    expect((await agent.get(first)).status).toBe(410);
    expect((await agent.get(second.pathname + second.search)).status).toBe(200);
  });

  it('refuses invalid signups beside each field, in the page language, keeping values but never passwords', async () => {
    const agent = visitor(app);
    const res = await submitForm(agent, '/en/create-account', '/en/create-account', {
      email: 'not-an-email',
      emailConfirm: 'other@example.test',
      password: 'password1234',
      passwordConfirm: 'different password here',
    });
    expect(res.status).toBe(422);
    const text = textOf(res.text);
    expect(text).toContain('Please correct the following errors');
    expect(text).toContain('Enter a valid email address');
    expect(text).toContain('The two email addresses do not match');
    expect(text).toContain('This password is too common');
    expect(text).toContain('You must accept the terms of use');
    expect(res.text).toContain('value="not-an-email"');
    expect(res.text).not.toContain('password1234');
    expect(res.text).not.toContain('different password here');
    // The summary links to each field, in the form's order.
    const anchors = [...res.text.matchAll(/<li><a href="#(\w+)">/g)].map((m) => m[1]);
    expect(anchors).toEqual(['email', 'emailConfirm', 'password', 'passwordConfirm', 'terms']);
    expect(await runtime.db('users').where({ email: 'not-an-email' })).toHaveLength(0);
  });

  it('refuses passwords shorter than 12 or longer than 128 characters', async () => {
    // An address of its own: sign-ups per address are counted (3 an hour) across the suite's runs.
    const email = uniqueEmail();
    const short = await submitForm(visitor(app), '/fr/creer-un-compte', '/fr/creer-un-compte', {
      email,
      emailConfirm: email,
      password: 'Short-1',
      passwordConfirm: 'Short-1',
      terms: 'on',
    });
    expect(short.status).toBe(422);
    expect(textOf(short.text)).toContain('au moins 12 caractères');
    const long = 'x'.repeat(129);
    const tooLong = await submitForm(visitor(app), '/fr/creer-un-compte', '/fr/creer-un-compte', {
      email,
      emailConfirm: email,
      password: long,
      passwordConfirm: long,
      terms: 'on',
    });
    expect(tooLong.status).toBe(422);
    expect(textOf(tooLong.text)).toContain('au plus 128 caractères');
  });

  it('sends nothing when the signup is refused', async () => {
    const email = uniqueEmail();
    await submitForm(visitor(app), '/fr/creer-un-compte', '/fr/creer-un-compte', {
      email,
      emailConfirm: email,
      password: GOOD_PASSWORD,
      passwordConfirm: GOOD_PASSWORD,
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await emailsTo(email)).toHaveLength(0);
    expect(await runtime.db('users').where({ email })).toHaveLength(0);
  });

  it('limits signups for one address, whatever the machine, before hashing anything', async () => {
    const email = uniqueEmail();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await signUp(visitor(app), email)).status);
    expect(statuses).toEqual([303, 303, 303, 429]);
    expect(textOf((await signUp(visitor(app), email)).text)).toContain('Trop de tentatives');
  });
});
