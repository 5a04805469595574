import { afterAll, describe, expect, it } from 'vitest';
import { createPinVault } from '../../src/crypto/pin-vault';
import { createSealer } from '../../src/crypto/sealing';
import { newPin } from '../../src/domain/pins';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submitForm, textOf, visitor } from '../support/browser-like';
import { createdCompany, membersPath } from '../support/companies';
import { enrolledStaff, STAFF_PASSWORD, signedInStaff, staffSignIn, totp } from '../support/staff';

/**
 * What a portal finds after SESSION_SECRET was changed: every value sealed under the old one (company
 * PINs, letters' PINs, bank accounts, staff's second-factor secrets) no longer opens, and every PIN hash
 * was keyed by the old secret. The README promises the PINs are retired and managers make new ones; each
 * page says so and offers the way on, instead of the 500 ("unable to authenticate data") it gave.
 */
const portal = testPortal({ rateLimitScale: 10 });
const { app, runtime } = portal;
const db = runtime.db;
afterAll(() => portal.close());

const OLD_SECRET = 'the session secret this city used before it was changed';
const oldPins = createPinVault(OLD_SECRET);

describe('after SESSION_SECRET changed', () => {
  it("Comptes associés says the company's PIN was retired, in the page's language, and a new one works", async () => {
    const manager = visitor(app);
    await registeredUser(manager);
    const company = await createdCompany(manager, 'Clé changée inc.');
    const old = newPin();
    await db('companies')
      .where({ id: company.id })
      .update({ pin_hash: oldPins.hash(old), pin_sealed: oldPins.seal(old) });

    const page = await manager.get(membersPath(company.id));
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain("Le NIP de l'entreprise a été retiré quand la clé secrète du portail a changé");
    expect(text).not.toMatch(/NIP : [A-Z0-9]{3}-/);
    expect(text).toContain('Créer un nouveau code NIP');
    const english = textOf(
      (await manager.get(`/en/building-code-services/companies/${company.id}/associated-accounts`)).text,
    );
    expect(english).toContain("The company's PIN was retired when the portal's secret key changed");

    const rotated = await submitForm(
      manager,
      membersPath(company.id),
      `/fr/services-code-batiment/entreprises/${company.id}/nouveau-nip`,
      { confirm: 'yes' },
    );
    expect(rotated.status).toBe(303);
    const after = textOf((await manager.get(membersPath(company.id))).text);
    const pin = /NIP : ([A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3})/.exec(after)?.[1];
    expect(pin).toBeDefined();
    expect(after).not.toContain('a été retiré');
    // The new PIN lets a colleague associate.
    const colleague = visitor(app);
    await registeredUser(colleague);
    const joined = await submitForm(
      colleague,
      '/fr/services-code-batiment/professionnels-entrepreneurs/associer',
      '/fr/services-code-batiment/professionnels-entrepreneurs/associer',
      { pin: pin! },
    );
    expect(joined.status).toBe(303);
  });

  it('Informations bancaires asks for the account again instead of failing', async () => {
    const manager = visitor(app);
    await registeredUser(manager);
    const company = await createdCompany(manager, 'Banque oubliée');
    await db('companies')
      .where({ id: company.id })
      .update({
        bank_sealed: createSealer(OLD_SECRET, 'bank-accounts').seal({
          institution: '001',
          transit: '12345',
          account: '1234567890',
        }),
        bank_changed_at: db.fn.now(),
      });
    const path = `/fr/services-code-batiment/entreprises/${company.id}/informations-bancaires`;
    const page = await manager.get(path);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain(
      'Le compte bancaire enregistré ne peut plus être lu depuis que la clé secrète du portail a changé.',
    );
    const saved = await submitForm(manager, path, path, {
      institution: '002',
      transit: '54321',
      account: '7654321',
    });
    expect(saved.status).toBe(303);
    const now = textOf((await manager.get(path)).text);
    expect(now).toContain('Numéro de compte se terminant par 321');
    expect(now).not.toContain('ne peut plus être lu');
  });

  it("a letter's retired PIN: staff create a new one (once, audited); a used letter keeps its PIN", async () => {
    const { agent: staff, id: staffId } = await signedInStaff(app, runtime, 'Agent clé');
    const made = await submitForm(staff, '/fr/admin/dossiers-anterieurs', '/fr/admin/dossiers-anterieurs', {
      kind: 'client',
      name: 'Dossier clé changée',
      phone: '',
    });
    expect(made.status).toBe(303);
    const letterPath = made.headers.location!;
    const id = Number(/client\/(\d+)\/lettre/.exec(letterPath)![1]);
    const old = newPin();
    await db('client_records')
      .where({ id })
      .update({ pin_hash: oldPins.hash(old), pin_sealed: oldPins.seal(old) });

    const retired = await staff.get(letterPath);
    expect(retired.status).toBe(200);
    expect(textOf(retired.text)).toContain('Ce NIP a été retiré quand la clé secrète du portail a changé');
    expect(textOf(retired.text)).not.toContain('Votre NIP :');

    // The new form is the staff's alone: a client gets 404, the signed-out the staff sign-in; nothing changes.
    const client = visitor(app);
    await registeredUser(client);
    expect((await submitForm(client, '/fr/tableau-de-bord', letterPath, {})).status).toBe(404);
    const signedOut = visitor(app);
    const away = await submitForm(signedOut, '/fr/connexion', letterPath, {});
    expect(away.headers.location).toMatch(/^\/fr\/admin\/connexion/);
    expect((await db('client_records').where({ id }).first()).pin_sealed).toBeTruthy();
    expect(oldPins.open((await db('client_records').where({ id }).first()).pin_sealed)).toBe(old);

    const renewed = await submitForm(staff, letterPath, letterPath, {});
    expect(renewed.status).toBe(303);
    const letter = textOf((await staff.get(letterPath)).text);
    expect(letter).toContain('Un nouveau NIP est créé.');
    const pin = /Votre NIP : ([A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3})/.exec(letter)?.[1];
    expect(pin).toBeDefined();
    const row = await db('client_records').where({ id }).first();
    expect(Buffer.compare(row.pin_hash, oldPins.hash(old))).not.toBe(0);
    expect(
      await db('audit_events').where({ event: 'staff.record_pin_renewed', actor_user_id: staffId }).count(),
    ).toEqual([{ count: 1 }]);

    // The new PIN links the person's account; then the letter is used, and its PIN stays.
    const path = '/fr/services-code-batiment/dossier-client-anterieur';
    expect((await submitForm(client, path, path, { pin: pin! })).status).toBe(303);
    expect((await db('client_records').where({ id }).first()).linked_user_id).not.toBeNull();
    const refused = await submitForm(staff, letterPath, letterPath, {});
    expect(refused.status).toBe(303);
    expect(textOf((await staff.get(letterPath)).text)).toContain(
      "Ce NIP a déjà servi : il n'en faut pas de nouveau.",
    );
    expect((await db('client_records').where({ id }).first()).pin_sealed).toBe(row.pin_sealed);
  });

  it("a staff member's second factor sealed under the old secret refuses every code until an operator resets it", async () => {
    const { email, id } = await signedInStaff(app, runtime, 'Agent double');
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await db('users')
      .where({ id })
      .update({ totp_sealed: createSealer(OLD_SECRET, 'totp').seal({ secret }), totp_last_step: null });
    const signIn = async (code: string) => {
      const browser = visitor(app);
      return { browser, res: await staffSignIn(browser, email, code) };
    };
    // The code the staff member's phone shows for the old secret: refused, not a 500, and audited.
    const refused = await signIn(await totp(secret));
    expect(refused.res.status).toBe(401);
    expect(textOf(refused.res.text)).toContain(
      "L'adresse courriel, le mot de passe ou le code de vérification est incorrect.",
    );
    expect(await db('audit_events').where({ event: 'mfa.failed', actor_user_id: id }).count()).toEqual([
      { count: 1 },
    ]);

    await runtime.services.staff.resetSecondFactor(id);
    expect(await db('audit_events').where({ event: 'mfa.reset', actor_user_id: id }).count()).toEqual([
      { count: 1 },
    ]);
    const again = await signIn('');
    expect(again.res.headers.location).toBe('/fr/admin/double-authentification');
    const enrol = await again.browser.get('/fr/admin/double-authentification');
    const fresh = /class="secret">([A-Z2-7]+)</.exec(enrol.text)![1]!;
    expect(fresh).not.toBe(secret);
  });

  it('an enrolment not yet confirmed starts again with a new secret', async () => {
    const email = `pending.${Date.now()}@example.test`;
    const id = await runtime.services.staff.create(email, 'Agent en attente', STAFF_PASSWORD);
    await db('users')
      .where({ id })
      .update({ totp_sealed: createSealer(OLD_SECRET, 'totp').seal({ secret: 'JBSWY3DPEHPK3PXP' }) });
    // The enrolment page shows a new secret, and its first code completes the enrolment.
    await enrolledStaff(visitor(app), email);
  });
});
