import { afterAll, describe, expect, it } from 'vitest';
import { createClientRecord } from '../../src/features/earlier-records/client-records';
import { PROFILE, registeredUser, signedUpUser } from '../support/accounts';
import { testPortal, testPins } from '../support/app';
import { submitForm, textOf, visitor } from '../support/browser-like';

const portal = testPortal();
const { app, runtime } = portal;
afterAll(() => portal.close());

const REGISTER = '/fr/services-code-batiment/inscription';
const PREVIOUS = '/fr/services-code-batiment/dossier-client-anterieur';
const HOME = '/fr/services-code-batiment';

async function userId(email: string): Promise<number> {
  return (await runtime.db('users').where({ email }).first()).id;
}

async function earlierRecord(name = 'Dossier antérieur') {
  return createClientRecord(runtime.db, testPins, {
    name,
    applications: [
      {
        permitType: 'house',
        status: 'in_review',
        streetNumber: '12',
        streetName: 'RUE DES TESTS',
        description: 'Maison unifamiliale',
        lastActivityAt: new Date(Date.now() - 10 * 86_400_000),
      },
    ],
  });
}

describe('one-time registration (J2)', () => {
  it('sends an account that has not registered from the dashboard widget to the registration page', async () => {
    const agent = visitor(app);
    await signedUpUser(agent);
    const dashboard = await agent.get('/fr/tableau-de-bord');
    expect(dashboard.text).toContain(`href="${HOME}"`);
    expect(textOf(dashboard.text)).toContain('Appliquer, gérer et payer');
    for (const page of [
      HOME,
      '/fr/services-code-batiment/demandes',
      '/fr/services-code-batiment/demandes/nouvelle',
      PREVIOUS,
    ]) {
      const res = await agent.get(page);
      expect(res.status, page).toBe(303);
      expect(res.headers.location, page).toBe(REGISTER);
    }
    const form = await agent.get(REGISTER);
    const text = textOf(form.text);
    expect(text).toContain('Inscrire pour des services du code du bâtiment pour pouvoir y accéder en ligne');
    expect(text).toContain('Collecte de renseignements');
    // The guide's red asterisk (a screen reader hears "(requis)"), its meaning said once on the form.
    expect(text).toContain('Les champs obligatoires sont accompagnés d’un astérisque rouge ( * ).');
    expect(text).toContain('Prénom * (requis)');
    expect(form.text).toMatch(/Prénom\s*<span class="required-mark"><span aria-hidden="true">\*<\/span>/);
    expect(text).toContain("J'accepte de partager mes informations avec ce service. * (requis)");
    expect(form.text).toContain(`href="/fr/tableau-de-bord">Annuler`);
  });

  it('refuses a registration without the required fields and the consent, beside each field, keeping the values', async () => {
    const agent = visitor(app);
    const { email } = await signedUpUser(agent);
    const res = await submitForm(agent, REGISTER, REGISTER, {
      firstName: 'Vivian',
      city: 'Ottawa',
      postalCode: 'nope',
      phone: '580-2400',
      phoneExt: 'x12',
    });
    expect(res.status).toBe(422);
    const text = textOf(res.text);
    for (const message of [
      'Entrez votre nom de famille.',
      'Choisissez votre langue de communication.',
      'Entrez un code postal canadien valide',
      'Entrez un numéro de téléphone à 10 chiffres',
      "L'extension ne doit contenir que des chiffres",
      'Vous devez accepter de partager vos informations',
    ]) {
      expect(text).toContain(message);
    }
    expect(res.text).toContain('value="Vivian"');
    expect(res.text).toContain('value="nope"');
    expect(await runtime.db('profiles').where({ user_id: await userId(email) })).toHaveLength(0);
  });

  it('saves the profile normalised, the consent with its time, and the language of the emails', async () => {
    const agent = visitor(app);
    const { email } = await signedUpUser(agent);
    const before = Date.now();
    const res = await submitForm(agent, REGISTER, REGISTER, {
      ...PROFILE,
      title: 'ms',
      language: 'en',
      postalCode: 'k1p1j1',
      phone: '+1 (613) 580 2400',
      phoneExt: '25852',
      province: 'ON',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(PREVIOUS);
    const id = await userId(email);
    const profile = await runtime.db('profiles').where({ user_id: id }).first();
    expect(profile).toMatchObject({
      title: 'ms',
      postal_code: 'K1P 1J1',
      phone: '6135802400',
      phone_ext: '25852',
      province: 'ON',
    });
    expect(profile.consent_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((await runtime.db('users').where({ id }).first()).locale).toBe('en');
    // Registration happens once: the page now leads home.
    expect((await agent.get(REGISTER)).headers.location).toBe(HOME);
  });

  it('refuses a province that is not on the list', async () => {
    const agent = visitor(app);
    await signedUpUser(agent);
    const res = await submitForm(agent, REGISTER, REGISTER, { ...PROFILE, province: 'XX' });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('Choisissez une valeur dans la liste.');
  });

  it('"Ne pas lier et continuer" goes straight to the Building Code Services home', async () => {
    const agent = visitor(app);
    await registeredUser(agent);
    const res = await submitForm(agent, PREVIOUS, `${PREVIOUS}/ne-pas-lier`, {});
    expect(res.headers.location).toBe(HOME);
    const home = await agent.get(HOME);
    expect(home.status).toBe(200);
    expect(textOf(home.text)).toContain('Bienvenue aux Services du Code du bâtiment.');
  });
});

describe('previous client record (Dossier du client antérieur)', () => {
  it('links with the PIN, whatever its case and dashes, shows Mon profil with the confirmation, and gives its applications', async () => {
    const agent = visitor(app);
    const { email } = await registeredUser(agent);
    const record = await earlierRecord('Construction Tremblay');
    const typed = record.pin.replace(/-/g, '').toLowerCase();
    const res = await submitForm(agent, PREVIOUS, PREVIOUS, { pin: typed });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/fr/services-code-batiment/mon-profil');
    const profile = await agent.get(res.headers.location!);
    expect(textOf(profile.text)).toContain(
      'Votre compte est maintenant lié au dossier client antérieur « Construction Tremblay »',
    );
    const list = await agent.get('/fr/services-code-batiment/demandes');
    expect(list.text).toContain(record.numbers[0]);
    expect((await agent.get(`/fr/services-code-batiment/demandes/${record.numbers[0]}`)).status).toBe(200);
    const row = await runtime.db('client_records').where({ id: record.id }).first();
    expect(row.linked_user_id).toBe(await userId(email));
  });

  it('stores the PIN only as a hash', async () => {
    const record = await earlierRecord();
    const row = await runtime.db('client_records').where({ id: record.id }).first();
    expect(JSON.stringify(row)).not.toContain(record.pin);
    expect(JSON.stringify(row)).not.toContain(record.pin.replace(/-/g, ''));
  });

  it('refuses a wrong PIN beside the field, logs the failure, and links nothing', async () => {
    const agent = visitor(app);
    const { email } = await registeredUser(agent);
    const res = await submitForm(agent, PREVIOUS, PREVIOUS, { pin: 'AAA-AAA-AAA' });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain("Ce code NIP n'est pas valide");
    const id = await userId(email);
    expect(await runtime.db('pin_failures').where({ user_id: id, kind: 'client' })).toHaveLength(1);
    expect(await runtime.db('audit_events').where({ actor_user_id: id, event: 'pin.failed' })).toHaveLength(
      1,
    );
    expect(await runtime.db('client_records').where({ linked_user_id: id })).toHaveLength(0);
  });

  it('works once: a PIN already used links nobody else', async () => {
    const first = visitor(app);
    await registeredUser(first);
    const record = await earlierRecord();
    expect((await submitForm(first, PREVIOUS, PREVIOUS, { pin: record.pin })).status).toBe(303);
    const second = visitor(app);
    const { email } = await registeredUser(second);
    expect((await submitForm(second, PREVIOUS, PREVIOUS, { pin: record.pin })).status).toBe(422);
    expect((await second.get(`/fr/services-code-batiment/demandes/${record.numbers[0]}`)).status).toBe(404);
    expect(await runtime.db('client_records').where({ linked_user_id: await userId(email) })).toHaveLength(0);
  });

  it('stops guessing after 5 wrong PINs in an hour, even before the right one', async () => {
    const agent = visitor(app);
    await registeredUser(agent);
    const record = await earlierRecord();
    for (let i = 0; i < 5; i += 1) {
      expect((await submitForm(agent, PREVIOUS, PREVIOUS, { pin: `WRONG-${i}` })).status).toBe(422);
    }
    const blocked = await submitForm(agent, PREVIOUS, PREVIOUS, { pin: record.pin });
    expect(blocked.status).toBe(429);
    expect(textOf(blocked.text)).toContain('Trop de codes NIP incorrects');
    expect((await runtime.db('client_records').where({ id: record.id }).first()).linked_user_id).toBeNull();
  });

  it('stops guessing from one address after 20 wrong PINs in an hour, across accounts', async () => {
    const ip = `10.250.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const record = await earlierRecord();
    for (let account = 0; account < 4; account += 1) {
      const agent = visitor(app, ip);
      await registeredUser(agent);
      for (let i = 0; i < 5; i += 1) await submitForm(agent, PREVIOUS, PREVIOUS, { pin: `NOPE-${i}` });
    }
    const fresh = visitor(app, ip);
    await registeredUser(fresh);
    expect((await submitForm(fresh, PREVIOUS, PREVIOUS, { pin: record.pin })).status).toBe(429);
  });
});

describe('Mon profil', () => {
  it('edits the profile later, including the withdrawal notice and the language of emails', async () => {
    const agent = visitor(app);
    const { email } = await registeredUser(agent);
    const page = await agent.get('/fr/services-code-batiment/mon-profil');
    expect(page.text).toContain('value="(613) 580-2400"');
    // Every notice is ticked until the person unticks it.
    for (const event of ['status', 'information', 'messages', 'withdrawal', 'inspections'])
      expect(page.text).toMatch(new RegExp(`id="notify_${event}" name="notify_${event}" value="on" checked`));
    const res = await submitForm(
      agent,
      '/fr/services-code-batiment/mon-profil',
      '/fr/services-code-batiment/mon-profil',
      {
        ...PROFILE,
        language: 'en',
        phone: '819 555 0199',
        notify_status: 'on',
        notify_messages: 'on',
      },
    );
    expect(res.status).toBe(303);
    const id = await userId(email);
    const profile = await runtime.db('profiles').where({ user_id: id }).first();
    expect(profile.phone).toBe('8195550199');
    const user = await runtime.db('users').where({ id }).first();
    expect(user.email_opt_outs).toEqual(['information', 'withdrawal', 'inspections']);
    expect(user.locale).toBe('en');
    const again = await agent.get(res.headers.location!);
    expect(textOf(again.text)).toContain('Votre profil a été enregistré.');
    expect(again.text).toMatch(/id="notify_messages" name="notify_messages" value="on" checked/);
    expect(again.text).toMatch(/id="notify_information" name="notify_information" value="on">/);
  });
});
