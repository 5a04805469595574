import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { GOOD_PASSWORD, signedUpUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submitForm, textOf, uniqueEmail, visitor } from '../support/browser-like';
import { emailsTo, waitForEmail } from '../support/mailbox';

const portal = testPortal();
const { app, runtime } = portal;
afterAll(() => portal.close());
afterEach(() => vi.useRealTimers());

const NEW_PASSWORD = 'granite lighthouse before breakfast';
const FORGOT = '/fr/mot-de-passe-oublie';

function linkPath(link: string): string {
  const url = new URL(link);
  return url.pathname + url.search;
}

async function resetLink(email: string): Promise<string> {
  await submitForm(visitor(app), FORGOT, FORGOT, { email });
  const mail = await waitForEmail(email, /nouveau mot de passe/);
  return linkPath(mail.links.find((l) => l.includes('token='))!);
}

const signIn = (email: string, password: string) =>
  submitForm(visitor(app), '/fr/connexion', '/fr/connexion', { email, password });

describe('forgotten password', () => {
  it('answers an unknown address exactly as a known one, and sends nothing to it', async () => {
    const { email } = await signedUpUser(visitor(app));
    const unknownEmail = uniqueEmail();
    const known = await submitForm(visitor(app), FORGOT, FORGOT, { email });
    const unknown = await submitForm(visitor(app), FORGOT, FORGOT, { email: unknownEmail });
    expect(unknown.status).toBe(known.status);
    expect(unknown.headers.location).toBe(known.headers.location);
    await waitForEmail(email, /nouveau mot de passe/);
    expect(await emailsTo(unknownEmail)).toHaveLength(0);
  });

  it('sets a new password once from the link, ends every session, and tells the owner', async () => {
    const signedIn = visitor(app);
    const { email, password } = await signedUpUser(signedIn);
    const link = await resetLink(email);
    const token = link.split('token=')[1]!;
    const agent = visitor(app);
    expect((await agent.get(link)).status).toBe(200);
    const done = await submitForm(agent, link, '/fr/nouveau-mot-de-passe', {
      token,
      password: NEW_PASSWORD,
      passwordConfirm: NEW_PASSWORD,
    });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/fr/connexion');

    expect((await signedIn.get('/fr/tableau-de-bord')).status).toBe(303);
    expect((await signIn(email, password)).status).toBe(401);
    expect((await signIn(email, NEW_PASSWORD)).status).toBe(303);
    await waitForEmail(email, /a été changé/);

    const reused = await submitForm(visitor(app), '/fr/connexion', '/fr/nouveau-mot-de-passe', {
      token,
      password: 'another long passphrase here',
      passwordConfirm: 'another long passphrase here',
    });
    expect(reused.status).toBe(410);
    expect((await signIn(email, NEW_PASSWORD)).status).toBe(303);
  });

  it('refuses the link after one hour', async () => {
    const { email } = await signedUpUser(visitor(app));
    const link = await resetLink(email);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61 * 60_000);
    const late = await visitor(app).get(link);
    expect(late.status).toBe(410);
    expect(textOf(late.text)).toContain('Ce lien ne fonctionne plus');
  });

  it('keeps only the newest link working', async () => {
    const { email } = await signedUpUser(visitor(app));
    const first = await resetLink(email);
    await submitForm(visitor(app), FORGOT, FORGOT, { email });
    await vi.waitFor(
      async () =>
        expect((await emailsTo(email)).filter((m) => /nouveau mot/.test(m.subject))).toHaveLength(2),
      { timeout: 15_000 },
    );
    expect((await visitor(app).get(first)).status).toBe(410);
  });

  it('refuses a common new password beside the field', async () => {
    const { email } = await signedUpUser(visitor(app));
    const link = await resetLink(email);
    const res = await submitForm(visitor(app), link, '/en/new-password', {
      token: link.split('token=')[1]!,
      password: 'iloveyou12345',
      passwordConfirm: 'iloveyou12345',
    });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('This password is too common');
    expect(res.text).not.toContain('iloveyou12345');
  });
});

describe('Mes paramètres', () => {
  it('changes the password when the current one is given, keeps this session under a new id, ends the others', async () => {
    const here = visitor(app);
    const { email, password } = await signedUpUser(here);
    const elsewhere = visitor(app);
    expect((await signIn(email, password)).status).toBe(303);
    await submitForm(elsewhere, '/fr/connexion', '/fr/connexion', { email, password });
    expect((await elsewhere.get('/fr/tableau-de-bord')).status).toBe(200);

    const wrong = await submitForm(here, '/fr/mes-parametres', '/fr/mes-parametres/mot-de-passe', {
      currentPassword: 'not my password',
      password: NEW_PASSWORD,
      passwordConfirm: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.text)).toContain('Le mot de passe actuel est incorrect.');

    const changed = await submitForm(here, '/fr/mes-parametres', '/fr/mes-parametres/mot-de-passe', {
      currentPassword: password,
      password: NEW_PASSWORD,
      passwordConfirm: NEW_PASSWORD,
    });
    expect(changed.status).toBe(303);
    expect((await here.get('/fr/mes-parametres')).status).toBe(200);
    expect((await elsewhere.get('/fr/tableau-de-bord')).status).toBe(303);
    expect((await signIn(email, NEW_PASSWORD)).status).toBe(303);
    const user = await runtime.db('users').where({ email }).first();
    expect(
      await runtime.db('audit_events').where({ actor_user_id: user.id, event: 'password.changed' }),
    ).toHaveLength(1);
  });

  it('changes the email address only once the new address confirms it', async () => {
    const agent = visitor(app);
    const { email, password } = await signedUpUser(agent);
    const newEmail = uniqueEmail('new');
    const asked = await submitForm(agent, '/en/my-settings', '/en/my-settings/email', {
      newEmail,
      currentPassword: password,
    });
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe('/en/email-sent?for=emailChange');

    const notice = await waitForEmail(email, /changement de votre adresse/);
    expect(notice.text).toContain(newEmail);
    const confirm = await waitForEmail(newEmail);
    const link = linkPath(confirm.links.find((l) => l.includes('token='))!);
    expect(await runtime.db('users').where({ email }).first()).toBeDefined();

    // Opening the link changes nothing; the button on the page does.
    expect((await visitor(app).get(link)).status).toBe(200);
    expect(await runtime.db('users').where({ email: newEmail })).toHaveLength(0);
    const confirmed = await submitForm(visitor(app), link, '/fr/confirmer-mon-courriel', {
      token: link.split('token=')[1]!,
    });
    expect(confirmed.status).toBe(303);
    expect(await runtime.db('users').where({ email: newEmail })).toHaveLength(1);
    expect((await signIn(newEmail, password)).status).toBe(303);
    expect((await signIn(email, password)).status).toBe(401);
  });

  it('answers a change to a taken address as any other, and tells that address instead', async () => {
    const agent = visitor(app);
    const { password } = await signedUpUser(agent);
    const other = await signedUpUser(visitor(app));
    const res = await submitForm(agent, '/fr/mes-parametres', '/fr/mes-parametres/courriel', {
      newEmail: other.email,
      currentPassword: password,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/fr/courriel-envoye?for=emailChange');
    await waitForEmail(other.email, /Tentative d'utilisation/);
  });

  it('keeps the typed address but never the password when the form is refused', async () => {
    const agent = visitor(app);
    await signedUpUser(agent);
    const res = await submitForm(agent, '/fr/mes-parametres', '/fr/mes-parametres/courriel', {
      newEmail: 'nobody@',
      currentPassword: GOOD_PASSWORD,
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('value="nobody@"');
    expect(res.text).not.toContain(GOOD_PASSWORD);
    expect(textOf(res.text)).toContain('Entrez une adresse courriel valide');
  });
});
