import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { csrfFrom, submitForm, textOf, uniqueEmail, visitor, type Visitor } from '../support/browser-like';
import { waitForEmail } from '../support/mailbox';
import { enrolledStaff, STAFF_PASSWORD, totp } from '../support/staff';
import { submittedWithdrawal } from '../support/withdrawals';

const portal = testPortal();
const { app, runtime } = portal;
afterAll(() => portal.close());

const staff = runtime.services.staff;

async function newStaff(): Promise<{ agent: Visitor; email: string; id: number }> {
  const email = uniqueEmail('staff');
  const id = await staff.create(email, 'Agent de la Ville', STAFF_PASSWORD);
  return { agent: visitor(app), email, id };
}

const pendingWithdrawal = (lang: 'fr' | 'en' = 'fr') => submittedWithdrawal(app, runtime.db, lang);

describe('staff accounts', () => {
  it('are created from the command line with STAFF_PASSWORD, never by signing up', async () => {
    const email = uniqueEmail('cli');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/features/staff/cli.ts', '--email', email, '--name', 'Agente Tremblay'],
      {
        env: {
          ...process.env,
          DATABASE_URL: inject('databaseUrl'),
          STAFF_PASSWORD,
          NODE_ENV: 'development',
          BASE_URL: 'http://portal.test',
        },
      },
    );
    expect(stdout).toContain(`Staff account created for ${email}`);
    expect(await runtime.db('users').where({ email }).first()).toMatchObject({
      role: 'staff',
      status: 'active',
      display_name: 'Agente Tremblay',
    });
  });

  it('enrol TOTP at first sign-in: QR code and the secret as text, a wrong code refused', async () => {
    const { agent, email } = await newStaff();
    const page = await agent.get('/fr/admin/connexion');
    await agent
      .post('/fr/admin/connexion')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email, password: STAFF_PASSWORD });
    // Before the second factor, the admin pages send to the enrolment.
    expect((await agent.get('/fr/admin/demandes-de-retrait')).headers.location).toBe(
      '/fr/admin/double-authentification',
    );
    const enrol = await agent.get('/fr/admin/double-authentification');
    expect(enrol.text).toContain('<svg');
    expect(enrol.text).toMatch(/class="secret">[A-Z2-7]{16,}</);
    const wrong = await agent
      .post('/fr/admin/double-authentification')
      .type('form')
      .send({ _csrf: csrfFrom(enrol.text), code: '000000' });
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.text)).toContain("Ce code n'est pas valide");
    const user = await runtime.db('users').where({ email }).first();
    expect(user.totp_enrolled_at).toBeNull();
    expect(JSON.stringify(user)).not.toMatch(/"totp_sealed":"[A-Z2-7]{16,32}"/);
    expect(
      await runtime.db('audit_events').where({ actor_user_id: user.id, event: 'mfa.failed' }),
    ).toHaveLength(1);
  });

  it('sign in afterwards with email, password and code; a code is refused a second time', async () => {
    const { agent, email } = await newStaff();
    const secret = await enrolledStaff(agent, email);
    await submitForm(agent, '/fr/admin', '/fr/deconnexion', {});

    const again = visitor(app);
    const page = await again.get('/fr/admin/connexion');
    const code = await totp(secret, 1);
    const signIn = (v: Visitor, token: string, c: string) =>
      v
        .post('/fr/admin/connexion')
        .type('form')
        .send({ _csrf: token, email, password: STAFF_PASSWORD, code: c });
    const noCode = await signIn(again, csrfFrom(page.text), '');
    expect(noCode.status).toBe(401);
    const ok = await signIn(again, csrfFrom((await again.get('/fr/admin/connexion')).text), code);
    expect(ok.headers.location).toBe('/fr/admin');
    const replay = visitor(app);
    const replayed = await signIn(replay, csrfFrom((await replay.get('/fr/admin/connexion')).text), code);
    expect(replayed.status).toBe(401);
    expect(textOf(replayed.text)).toContain(
      'Le code de vérification est incorrect'.replace(
        'Le code de vérification est incorrect',
        "L'adresse courriel, le mot de passe ou le code de vérification est incorrect.",
      ),
    );
  });

  it('keep staff and client sessions apart', async () => {
    const { agent, email } = await newStaff();
    await enrolledStaff(agent, email);
    expect((await agent.get('/fr/tableau-de-bord')).status).toBe(403);
    expect((await agent.get('/fr/services-code-batiment')).status).toBe(403);
    // A staff member cannot sign in on the client portal, nor a client on the admin page.
    expect(
      (await submitForm(visitor(app), '/fr/connexion', '/fr/connexion', { email, password: STAFF_PASSWORD }))
        .status,
    ).toBe(401);
    const client = visitor(app);
    const { email: clientEmail, password } = await registeredUser(client);
    const page = await visitor(app).get('/fr/admin/connexion');
    expect(page.status).toBe(200);
    const res = await submitForm(visitor(app), '/fr/admin/connexion', '/fr/admin/connexion', {
      email: clientEmail,
      password,
    });
    expect(res.status).toBe(401);
  });
});

describe('admin routes × users', () => {
  const routes = [
    '/fr/admin',
    '/fr/admin/demandes-de-retrait',
    '/fr/admin/demandes-de-retrait/1',
    '/en/admin/withdrawal-requests',
  ];

  it('send the signed-out to the staff sign-in, give clients 404, staff without MFA the enrolment, staff the page', async () => {
    const client = visitor(app);
    await registeredUser(client);
    const { agent: halfway, email: halfwayEmail } = await newStaff();
    const page = await halfway.get('/fr/admin/connexion');
    await halfway
      .post('/fr/admin/connexion')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: halfwayEmail, password: STAFF_PASSWORD });
    const { agent: full, email } = await newStaff();
    await enrolledStaff(full, email);
    const { requestId } = await pendingWithdrawal();
    for (const route of routes.map((r) => r.replace('/1', `/${requestId}`))) {
      const anonymous = await visitor(app).get(route);
      expect(anonymous.status, route).toBe(303);
      expect(anonymous.headers.location).toMatch(/\/admin\/(connexion|sign-in)$/);
      const asClient = await client.get(route);
      expect(asClient.status, route).toBe(404);
      expect(asClient.text).not.toContain('Demandes de retrait');
      const noMfa = await halfway.get(route);
      expect(noMfa.status, route).toBe(303);
      expect(noMfa.headers.location).toMatch(/double-authentification|two-factor/);
      expect((await full.get(route)).status, route).toBe(200);
    }
    // A client posting a decision directly gets 404 and changes nothing.
    const posted = await submitForm(
      client,
      '/fr/services-code-batiment',
      `/fr/admin/demandes-de-retrait/${requestId}`,
      {
        decision: 'approve',
        staffComment: 'x',
      },
    );
    expect(posted.status).toBe(404);
    expect((await runtime.db('withdrawal_requests').where({ id: requestId }).first()).status).toBe('pending');
  });
});

describe('deciding withdrawal requests', () => {
  it('lists pending requests oldest first, with the applicant comment', async () => {
    const { agent, email } = await newStaff();
    await enrolledStaff(agent, email);
    const first = await pendingWithdrawal();
    const second = await pendingWithdrawal();
    const text = textOf((await agent.get('/fr/admin/demandes-de-retrait')).text);
    expect(text.indexOf(first.number)).toBeLessThan(text.indexOf(second.number));
    expect(text).toContain('Projet abandonné');
  });

  it('approves: status Retiré, history, the applicant told in their language; never refunds more than was paid', async () => {
    const { agent, email } = await newStaff();
    await enrolledStaff(agent, email);
    const w = await pendingWithdrawal('en');
    const path = `/fr/admin/demandes-de-retrait/${w.requestId}`;
    const missingAmount = await submitForm(agent, path, path, {
      decision: 'approve',
      staffComment: 'Approuvé',
      refund: 'partial',
    });
    expect(missingAmount.status).toBe(422);
    expect(textOf(missingAmount.text)).toContain('Entrez le montant du remboursement partiel');
    // Nothing was paid on this application: a refund is refused beside the amount, nothing is written.
    const tooMuch = await submitForm(agent, path, path, {
      decision: 'approve',
      staffComment: 'Withdrawn as asked.',
      refund: 'partial',
      amount: '125,50',
    });
    expect(tooMuch.status).toBe(422);
    expect(textOf(tooMuch.text)).toContain('Le remboursement dépasse ce qui a été payé');
    expect((await runtime.db('withdrawal_requests').where({ id: w.requestId }).first()).status).toBe(
      'pending',
    );
    expect(await runtime.db('refunds').where({ application_id: w.applicationId })).toHaveLength(0);
    const res = await submitForm(agent, path, path, {
      decision: 'approve',
      staffComment: 'Withdrawn as asked.',
      refund: 'none',
    });
    expect(res.status).toBe(303);
    const application = await runtime.db('applications').where({ id: w.applicationId }).first();
    expect(application).toMatchObject({ status: 'withdrawn', withdrawal_pending: false });
    expect(await runtime.db('withdrawal_requests').where({ id: w.requestId }).first()).toMatchObject({
      status: 'approved',
      refund: 'none',
      staff_comment: 'Withdrawn as asked.',
    });
    const mail = await waitForEmail(w.email, /Withdrawal approved/);
    expect(mail.text).toContain('No refund will be paid.');
    const page = textOf((await w.agent.get(`/en/building-code-services/applications/${w.number}`)).text);
    expect(page).toContain('Withdrawn');
    expect(page).toContain('Withdrawal approved: status “Withdrawn” (was “Submitted”)');
    expect(page).toContain('Agent de la Ville');
  });

  it('refuses: the application carries on where it was, and the applicant is told', async () => {
    const { agent, email } = await newStaff();
    await enrolledStaff(agent, email);
    const w = await pendingWithdrawal();
    const path = `/fr/admin/demandes-de-retrait/${w.requestId}`;
    await submitForm(agent, path, path, { decision: 'refuse', staffComment: 'Les travaux ont commencé.' });
    expect(await runtime.db('applications').where({ id: w.applicationId }).first()).toMatchObject({
      status: 'submitted',
      withdrawal_pending: false,
    });
    const mail = await waitForEmail(w.email, /Retrait refusé/);
    expect(mail.text).toContain('Les travaux ont commencé.');
  });

  it('lets one of two staff deciding at once win, and tells the other', async () => {
    const { id } = await newStaff();
    const w = await pendingWithdrawal();
    const decision = { approve: true, comment: 'OK', refund: 'none' as const, refundCents: null };
    const outcomes = await Promise.all([
      runtime.services.withdrawalDecisions.decide(
        { userId: id, name: 'A', ip: undefined },
        w.requestId,
        decision,
      ),
      runtime.services.withdrawalDecisions.decide({ userId: id, name: 'B', ip: undefined }, w.requestId, {
        ...decision,
        approve: false,
      }),
    ]);
    expect(outcomes.sort()).toEqual(['alreadyDecided', 'decided']);
    const events = await runtime
      .db('application_events')
      .where({ application_id: w.applicationId })
      .whereIn('event', ['withdrawn', 'withdrawal_refused']);
    expect(events).toHaveLength(1);
  });
});

describe('applications and the audit log, for staff', () => {
  it('finds an application by number, applicant or street, and moves it along the lifecycle with a reason', async () => {
    const { agent, email } = await newStaff();
    await enrolledStaff(agent, email);
    const applicantAgent = visitor(app);
    await registeredUser(applicantAgent, { firstName: 'Zébulon', lastName: 'Quincampoix' });
    const created = await submitForm(
      applicantAgent,
      '/fr/services-code-batiment/demandes/nouvelle',
      '/fr/services-code-batiment/demandes/nouvelle',
      {
        permitType: 'addition',
        floorArea: '120',
        streetNumber: '9',
        streetName: 'RUE QUINCAMPOIX',
        postalCode: 'K1P 1J1',
        description: 'Agrandissement',
      },
    );
    const number = decodeURIComponent(created.headers.location!.split('/').pop()!);
    for (const q of [number, 'zébulon quinc', 'rue quincampoix']) {
      expect((await agent.get(`/fr/admin/demandes?q=${encodeURIComponent(q)}`)).text, q).toContain(number);
    }
    const path = `/fr/admin/demandes/${number}`;
    const act = (action: string) => `${path}/actions/${action}`;
    const illegal = await submitForm(agent, path, act('issue'), {});
    expect(illegal.status).toBe(409);
    expect(textOf(illegal.text)).toContain("Ce changement de statut n'est pas permis.");
    expect((await submitForm(agent, path, act('startReview'), {})).status).toBe(303);
    const noAmount = await submitForm(agent, path, act('assessFees'), { feeAmount: ' ' });
    expect(noAmount.status).toBe(422);
    expect(textOf(noAmount.text)).toContain('Entrez le montant des frais.');
    expect(
      (await submitForm(agent, path, act('assessFees'), { feeAmount: '850', feesReason: 'Droits calculés' }))
        .status,
    ).toBe(303);
    expect((await runtime.db('applications').where({ number }).first()).status).toBe('payment_due');
    const seen = textOf((await applicantAgent.get(`/fr/services-code-batiment/demandes/${number}`)).text);
    expect(seen).toContain('Prise en examen : statut « En examen » (auparavant « Soumis »)');
    expect(seen).toContain('Frais établis : statut « Paiement exigible » (auparavant « En examen »)');
    expect(seen).toContain('850,00 $');
    // Payment due: it now shows under the applicant's required actions.
    expect(textOf((await applicantAgent.get('/fr/services-code-batiment')).text)).toContain(number);
  });

  it('shows security events and staff actions, filtered by actor, event and date', async () => {
    const { agent, email, id } = await newStaff();
    await enrolledStaff(agent, email);
    const mine = textOf((await agent.get(`/fr/admin/journal?actor=${encodeURIComponent(email)}`)).text);
    expect(mine).toContain('Code de vérification accepté');
    expect(mine).toContain('Connexion réussie');
    const failures = await agent.get(`/fr/admin/journal?event=signin.failed&from=2000-01-01&to=2000-01-02`);
    expect(failures.status).toBe(200);
    // Nothing happened in 2000: only the header row is left.
    expect(failures.text.match(/<tr>/g)).toHaveLength(1);
    const recent = await agent.get('/fr/admin/journal?event=mfa.succeeded');
    expect(recent.text.match(/<tr>/g)!.length).toBeGreaterThan(1);
    expect(recent.text).not.toMatch(/<td[^>]*>Connexion réussie<\/td>/);
    expect(recent.text).toMatch(/<td[^>]*>Code de vérification accepté<\/td>/);
    const odd = await agent.get('/fr/admin/journal?event=nope&from=yesterday');
    expect(odd.status).toBe(200);
    expect(
      await runtime.db('audit_events').where({ actor_user_id: id, event: 'mfa.succeeded' }),
    ).toHaveLength(1);
  });
});

describe('earlier records, letters, accounts and companies, for staff', () => {
  it('creates an earlier client record whose printed PIN (French and English letter) links one account', async () => {
    const { agent, email } = await newStaff();
    await enrolledStaff(agent, email);
    const missing = await submitForm(
      agent,
      '/fr/admin/dossiers-anterieurs',
      '/fr/admin/dossiers-anterieurs',
      { kind: 'contractor', name: 'Sans téléphone' },
    );
    expect(missing.status).toBe(422);
    const res = await submitForm(agent, '/fr/admin/dossiers-anterieurs', '/fr/admin/dossiers-anterieurs', {
      kind: 'client',
      name: 'Famille Bélanger',
    });
    expect(res.status).toBe(303);
    const letter = await agent.get(res.headers.location!);
    const text = textOf(letter.text);
    expect(text).toContain('Votre NIP pour le Portail client');
    expect(text).toContain('Your PIN for the client portal');
    expect(letter.text).toContain('lang="en"');
    const pin = /Votre NIP : ([A-Z0-9-]{11})/.exec(text)![1]!;
    const client = visitor(app);
    await registeredUser(client);
    const path = '/fr/services-code-batiment/dossier-client-anterieur';
    expect((await submitForm(client, path, path, { pin })).status).toBe(303);
    expect(textOf((await agent.get(res.headers.location!)).text)).toContain('Ce NIP a déjà servi');
  });

  it('creates an earlier contractor record whose PIN makes the first person in its manager', async () => {
    const { agent, email } = await newStaff();
    await enrolledStaff(agent, email);
    const res = await submitForm(agent, '/fr/admin/dossiers-anterieurs', '/fr/admin/dossiers-anterieurs', {
      kind: 'contractor',
      name: 'Rénovations Lavoie',
      phone: '613 555 0177',
    });
    const pin = /Votre NIP : ([A-Z0-9-]{11})/.exec(
      textOf((await agent.get(res.headers.location!)).text),
    )![1]!;
    const owner = visitor(app);
    const { email: ownerEmail } = await registeredUser(owner);
    expect(
      (
        await submitForm(
          owner,
          '/fr/services-code-batiment/professionnels-entrepreneurs',
          '/fr/services-code-batiment/professionnels-entrepreneurs/associer',
          { pin },
        )
      ).status,
    ).toBe(303);
    const ownerId = (await runtime.db('users').where({ email: ownerEmail }).first()).id;
    const company = await runtime
      .db('companies')
      .where({ legal_name: 'Rénovations Lavoie' })
      .orderBy('id', 'desc')
      .first();
    expect(
      await runtime.db('company_members').where({ company_id: company.id, user_id: ownerId }).first(),
    ).toMatchObject({ can_manage: true });

    // Staff find the company and read its members and permissions.
    const found = await agent.get(`/fr/admin/comptes?q=${encodeURIComponent('rénovations lav')}`);
    expect(found.text).toContain(`/fr/admin/entreprises/${company.id}`);
    const members = textOf((await agent.get(`/fr/admin/entreprises/${company.id}`)).text);
    expect(members).toContain(ownerEmail);
    expect(members).toContain('Gérer');
  });

  it('finds accounts by the start of their email address or name', async () => {
    const { agent, email } = await newStaff();
    await enrolledStaff(agent, email);
    const someone = visitor(app);
    const { email: theirs } = await registeredUser(someone, { firstName: 'Océane', lastName: 'Rivard' });
    expect(
      (await agent.get(`/fr/admin/comptes?q=${encodeURIComponent(theirs.slice(0, 12))}`)).text,
    ).toContain(theirs);
    expect((await agent.get(`/fr/admin/comptes?q=${encodeURIComponent('océane riv')}`)).text).toContain(
      theirs,
    );
  });
});

describe('every admin route × users', () => {
  it('answers anonymous, clients, staff without MFA and staff as it should', async () => {
    const client = visitor(app);
    await registeredUser(client);
    const { agent: halfway, email: halfwayEmail } = await newStaff();
    const signInPage = await halfway.get('/fr/admin/connexion');
    await halfway
      .post('/fr/admin/connexion')
      .type('form')
      .send({ _csrf: csrfFrom(signInPage.text), email: halfwayEmail, password: STAFF_PASSWORD });
    const { agent: full, email } = await newStaff();
    await enrolledStaff(full, email);
    const { requestId, number } = await pendingWithdrawal();
    const company = await runtime.db('companies').first('id');
    const letter = await runtime.db('client_records').whereNotNull('pin_sealed').first('id');
    const routes = [
      '/fr/admin',
      '/fr/admin/demandes-de-retrait',
      `/fr/admin/demandes-de-retrait/${requestId}`,
      '/fr/admin/demandes?q=CON',
      `/fr/admin/demandes/${number}`,
      '/fr/admin/journal',
      '/fr/admin/examen',
      '/fr/admin/inspections',
      '/fr/admin/inspections?day=2030-01-07',
      '/fr/admin/bareme-des-frais',
      '/fr/admin/paiements-a-verifier',
      '/fr/admin/dossiers-anterieurs',
      ...(letter ? [`/fr/admin/dossiers-anterieurs/client/${letter.id}/lettre`] : []),
      '/fr/admin/comptes?q=a',
      ...(company ? [`/fr/admin/entreprises/${company.id}`] : []),
      '/en/admin/audit-log',
    ];
    for (const route of routes) {
      expect((await visitor(app).get(route)).status, `anonymous ${route}`).toBe(303);
      expect((await client.get(route)).status, `client ${route}`).toBe(404);
      expect((await halfway.get(route)).status, `staff without MFA ${route}`).toBe(303);
      expect((await full.get(route)).status, `staff ${route}`).toBe(200);
    }
    for (const [path, body] of [
      [`/fr/admin/demandes/${number}/actions/startReview`, {}],
      [`/fr/admin/demandes/${number}/messages`, { body: 'x' }],
      [`/fr/admin/demandes/${number}/renseignements/1/resolu`, {}],
      ['/fr/admin/bareme-des-frais', { permitType: 'deck', rate: '1', flat: '1', minimum: '1', reason: 'x' }],
      ['/fr/admin/dossiers-anterieurs', { kind: 'client', name: 'x' }],
    ] as const) {
      expect(
        (await submitForm(client, '/fr/services-code-batiment', path, body)).status,
        `client POST ${path}`,
      ).toBe(404);
    }
    expect((await runtime.db('applications').where({ number }).first()).status).toBe('submitted');
  });
});

describe('the admin figures', () => {
  it('draws applications by status and withdrawal requests per week as SVG, with the same numbers in a table', async () => {
    const { agent, email } = await newStaff();
    await enrolledStaff(agent, email);
    const thisWeek = async () => {
      const html = (await agent.get('/fr/admin')).text;
      const table = html.slice(
        html.indexOf('Demandes de retrait par semaine (8 dernières semaines)</caption>'),
      );
      const rows = [...table.matchAll(/<tr><td>[^<]+<\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => Number(m[1]));
      expect(rows).toHaveLength(8);
      return rows.at(-1)!;
    };
    const before = await thisWeek();
    await pendingWithdrawal();
    expect(await thisWeek()).toBeGreaterThanOrEqual(before + 1);
    const html = (await agent.get('/fr/admin')).text;
    expect(html).toContain('<svg role="img" aria-labelledby="by-status-title"');
    expect(html).toContain('<title id="by-status-title">Demandes par statut</title>');
    for (const label of ['Soumis', 'En examen', 'Paiement exigible', 'Délivré', 'Retiré', 'Fermé']) {
      expect(html).toMatch(new RegExp(`<tr><td>${label}</td><td>\\d+</td></tr>`));
    }
  });
});
