import type { Express } from 'express';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest, runSeeds } from '../../src/db/migrations';
import { APPLICATION_FIELD_ORDER } from '../../src/features/applications/schemas';
import { installJobQueue } from '../../src/mail/worker';
import { paths, type PageName } from '../../src/web/paths';
import { testPortal, type TestPortal } from '../support/app';
import { csrfFrom, submitForm, textOf, visitor, type Visitor } from '../support/browser-like';
import { testSessionSecret } from '../support/global-setup';
import { createScratchDatabase } from '../support/scratch-database';
import { routesOf } from '../support/routes';
import { enrolledStaff, STAFF_PASSWORD } from '../support/staff';

/**
 * Every form the router serves, fed fast-check input: very long strings, Unicode edge cases, NUL bytes,
 * invalid UTF-8, HTML and SQL injection, missing, repeated and unexpected fields, forged CSRF tokens.
 * `npm test` runs 1,500 cases from a fixed seed; `npm run test:hostile` runs 10,000 new ones.
 * On a scratch database seeded with the demo data, so whole tables can be compared before and after.
 */
const CASES = Number(process.env.HOSTILE_CASES ?? 1500);
// npm test replays one fixed seed, so CI is repeatable; a run with HOSTILE_CASES set explores new cases
// (fast-check prints the seed of a failure; HOSTILE_SEED replays it).
const SEED = process.env.HOSTILE_SEED
  ? Number(process.env.HOSTILE_SEED)
  : process.env.HOSTILE_CASES
    ? undefined
    : 20261122;
const MARK = '<x-hostile>';

/** Every POST route of the app, as registered (so a new form is fuzzed, or this test fails). */
// The payment provider's webhook is no form: payments.test.ts sends it forged, stale and altered bodies.
const postRoutes = (app: Express) => routesOf(app, 'post').filter((path) => path !== '/webhooks/payments');

type Who = 'visitor' | 'unregistered' | 'client' | 'staff';

/**
 * Who posts each form, and with which path parameters. Sign-out is posted by its own visitor so that it
 * does not end the sessions the other forms use.
 */
const WHO: Record<string, Who> = {
  signIn: 'visitor',
  signUp: 'visitor',
  resendActivation: 'visitor',
  activate: 'visitor',
  forgotPassword: 'visitor',
  resetPassword: 'visitor',
  confirmEmail: 'visitor',
  staffSignIn: 'visitor',
  signOut: 'visitor',
  register: 'unregistered',
  changePassword: 'client',
  changeEmail: 'client',
  previousClient: 'client',
  previousClientSkip: 'client',
  profile: 'client',
  newApplication: 'client',
  editApplication: 'client',
  submitApplication: 'client',
  withdrawApplication: 'client',
  cancelWithdrawal: 'client',
  deleteDraft: 'client',
  companyAssociate: 'client',
  companyNew: 'client',
  company: 'client',
  companyMembers: 'client',
  companyPin: 'client',
  applicationMessage: 'client',
  applicationContact: 'client',
  applicationContactRemove: 'client',
  answerDeficiency: 'client',
  // Its multipart uploads have a test of their own (documents-hostile.test.ts); here, hostile form bodies.
  applicationDocuments: 'client',
  companyTemplateNew: 'client',
  companyTemplate: 'client',
  companyTemplateDelete: 'client',
  inspectionRequest: 'client',
  staffInspectionAct: 'staff',
  verifyPermit: 'visitor',
  staffEnrol: 'staff',
  staffWithdrawal: 'staff',
  staffAct: 'staff',
  staffMessage: 'staff',
  staffResolve: 'staff',
  staffRecords: 'staff',
  staffLetter: 'staff',
  staffFeeTable: 'staff',
  unpaidFees: 'client',
  companyBank: 'client',
  devPayment: 'visitor',
};

/** The fields of forms whose own address shows no form to read them from (a token link, a button). */
const FIELDS: Partial<Record<PageName, string[]>> = {
  activate: ['token', 'password'],
  resetPassword: ['token', 'password', 'passwordConfirm'],
  confirmEmail: ['token'],
  changePassword: ['currentPassword', 'password', 'passwordConfirm'],
  changeEmail: ['newEmail', 'currentPassword'],
  editApplication: ['onBehalfOf', ...APPLICATION_FIELD_ORDER, 'action'],
  withdrawApplication: ['comment'],
  companyAssociate: ['pin'],
  staffWithdrawal: ['decision', 'staffComment', 'refund', 'amount'],
  applicationMessage: ['body'],
  applicationContact: ['pin'],
  applicationContactRemove: [],
  staffAct: ['seen', 'deficiencies'],
  staffMessage: ['body', 'note'],
};

/** Values a form accepts, so that hostile text also reaches the database and the pages that show it. */
const stored = fc
  .tuple(fc.constantFrom(`Zoé ${MARK}`, `<b>${MARK}</b> & "quotes"`, `O'Brien ${MARK}; --`), fc.nat())
  .map(([text, n]) => `${text} ${n}`);
const PLAUSIBLE: Record<string, fc.Arbitrary<string>> = {
  email: fc.nat().map((n) => `hostile.${n}@example.test`),
  newEmail: fc.nat().map((n) => `hostile.${n}@example.test`),
  phone: fc.constant('6135802400'),
  postalCode: fc.constant('K1P 1J1'),
  province: fc.constant('ON'),
  title: fc.constantFrom('mr', 'ms', 'mx', 'dr'),
  language: fc.constantFrom('fr', 'en'),
  consent: fc.constant('on'),
  terms: fc.constant('on'),
  permitType: fc.constant('house'),
  streetNumber: fc.constant('110'),
  streetName: fc.constant('LAURIER AVE OUEST/WEST'),
  onBehalfOf: fc.constant('self'),
  action: fc.constantFrom('draft', 'submit'),
  decision: fc.constant('refuse'),
  refund: fc.constant('none'),
  kind: fc.constant('client'),
  seen: fc.constantFrom('in_review', 'information_required'),
  note: fc.constant('on'),
  floorArea: fc.constantFrom('120', '120,5'),
  rate: fc.constantFrom('12,34', '0'),
  flat: fc.constant('250'),
  minimum: fc.constant('0'),
  effectiveFrom: fc.constant('2099-01-01'),
  permitNumber: fc.constant('PC-2023-000001'),
  outcome: fc.constantFrom('paid', 'declined', 'cancelled'),
  institution: fc.constant('001'),
  transit: fc.constant('12345'),
  account: fc.constant('1234567'),
  ...Object.fromEntries(
    [
      'firstName',
      'lastName',
      'legalName',
      'operatingName',
      'description',
      'comment',
      'staffComment',
      'reason',
      'body',
      'deficiencies',
      'name',
      'address1',
      'address2',
      'city',
    ].map((name) => [name, stored]),
  ),
};

const pageOf = (path: string): PageName | undefined =>
  (Object.keys(paths) as PageName[]).find((name) => paths[name].fr === path || paths[name].en === path);

// Strings a field may receive.
const nasty = fc.constantFrom(
  MARK,
  `"><script>alert(1)</script>${MARK}`,
  `' OR 1=1 --`,
  `'; DROP TABLE users; --`,
  `\u0000`,
  `a\u0000b`,
  `\u202e\u200b\ufeff`,
  `\ud800`,
  `\udfff\ud800`,
  `𝒫😀é`,
  `{{7*7}}<%= 7*7 %>`,
  `../../etc/passwd`,
  `-1`,
  `99999999999999999999999`,
  `1e309`,
  `NaN`,
  `true`,
  `[object Object]`,
  `__proto__`,
  `on`,
  `self`,
  `house`,
  `approve`,
  `K1P 1J1`,
  `6135802400`,
  `a@b.ca`,
  `TRN-4KD-7QW`,
  ` `,
  ``,
);
const value = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 3000 }).map((s) => `${s}${MARK}`) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);
/** A field: left out, once, or repeated. */
const field = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 5, arbitrary: value.map((v) => [v]) },
  { weight: 1, arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }) },
);

/** One case in five. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

/** Percent-encodes as a browser would, except for `raw` bytes left invalid on purpose (invalid UTF-8). */
const encode = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

function hostileBody(names: string[]) {
  const fieldFor = (name: string) =>
    PLAUSIBLE[name]
      ? fc.oneof({ weight: 2, arbitrary: PLAUSIBLE[name].map((v) => [v]) }, { weight: 1, arbitrary: field })
      : field;
  return fc
    .record({
      // Mostly anything; one case in three a form that passes, carrying hostile text into storage.
      fields: fc.oneof(
        { weight: 2, arbitrary: fc.tuple(...names.map(fieldFor)) },
        {
          weight: 1,
          arbitrary: fc.tuple(
            ...names.map((name) =>
              PLAUSIBLE[name] ? PLAUSIBLE[name].map((v) => [v]) : fc.constant(undefined),
            ),
          ),
        },
      ),
      extra: sometimes(fc.tuple(fc.string({ maxLength: 20 }), value)),
      invalidUtf8: sometimes(fc.constantFrom('%FF%FE', '%C3%28', '%E2%82', '%ED%A0%80', '%F8%88%80%80%80')),
      csrf: fc.constantFrom('valid', 'valid', 'valid', 'valid', 'valid', 'valid', 'missing', 'forged'),
    })
    .map(({ fields, extra, invalidUtf8, csrf }) => {
      const pairs: string[] = [];
      names.forEach((name, i) => {
        for (const v of fields[i] ?? []) pairs.push(`${encode(name)}=${encode(v)}`);
      });
      if (extra) pairs.push(`${encode(extra[0])}=${encode(extra[1])}`);
      if (invalidUtf8) pairs.push(`${encode(names[0] ?? 'x')}=${invalidUtf8}`);
      return { pairs, csrf };
    });
}

describe('hostile input on every form', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let portal: TestPortal;
  const agents = {} as Record<Who, Visitor>;
  const params: Record<string, string> = {};
  /** Parameters of one form's address that differ from the shared ones (a request's id, a deficiency's). */
  const ROUTE_PARAMS: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    portal = testPortal({ databaseUrl: scratch.url, rateLimitScale: 1000 });
    const { db, sessionPool } = portal.runtime;
    await migrateLatest(db, { sessionSecret: testSessionSecret() });
    await installJobQueue(sessionPool, pino({ level: 'silent' }));
    await runSeeds(db, { sessionSecret: testSessionSecret(), baseUrl: 'http://localhost:3000' });
    const app = portal.app;

    const signIn = async (email: string) => {
      const agent = visitor(app);
      const res = await submitForm(agent, '/fr/connexion', '/fr/connexion', {
        email,
        password: 'Laurier-110-Demo',
      });
      expect(res.status).toBe(303);
      return agent;
    };
    agents.visitor = visitor(app);
    agents.client = await signIn('vivian.trainer@example.com');
    agents.unregistered = await signIn('jannee.training@example.com');
    const staff = portal.runtime.services.staff;
    await staff.create('hostile.staff@example.test', 'Agent', STAFF_PASSWORD);
    agents.staff = visitor(app);
    await enrolledStaff(agents.staff, 'hostile.staff@example.test');

    // A pending withdrawal for the staff form; the demo client's own application for the client forms.
    const application = await db('applications').where({ number: 'CON-2024-000409' }).first('id');
    const withdraw = await submitForm(
      agents.client,
      '/fr/services-code-batiment/demandes/CON-2024-000409/retirer',
      '/fr/services-code-batiment/demandes/CON-2024-000409/retirer',
      { comment: 'Projet abandonné' },
    );
    expect(withdraw.status).toBe(303);
    const request = await db('withdrawal_requests').where({ application_id: application.id }).first('id');
    const company = await db('companies').where({ legal_name: 'LMS Architects' }).first('id');
    // The demo's application waiting for information, with the questions staff asked.
    const deficiency = await db('deficiencies')
      .join('applications', 'applications.id', 'deficiencies.application_id')
      .where('applications.number', 'CON-2024-000455')
      .first('deficiencies.id');
    Object.assign(params, {
      ref: 'CON-2024-000409',
      number: 'CON-2024-000409',
      id: String(company.id),
      action: 'requestInformation',
    });
    const issued = await db('applications').where({ number: 'CON-2023-000118' }).first('id');
    const [inspection] = await db('inspections')
      .insert({
        application_id: issued.id,
        stage: 'footings',
        preferred_on: '2030-01-07',
        contact_phone: '6135802400',
        requested_by_name: 'Vivian Trainer',
      })
      .returning('id');
    const templates = await db('application_templates').where({ company_id: company.id }).orderBy('id');
    // The demo's letter not used yet ("Créer un nouveau NIP" acts on it).
    const letter = await db('client_records').whereNull('linked_user_id').orderBy('id').first('id');
    // An open checkout on the development payment page, for its form.
    const checkout = await portal.runtime.services.devPayments!.createCheckout({
      reference: '0',
      amountCents: 100,
      currency: 'CAD',
      description: 'Essai',
      returnUrl: '/fr/paiement/retour',
      lang: 'fr',
    });
    Object.assign(ROUTE_PARAMS, {
      devPayment: { id: checkout.checkoutId },
      staffWithdrawal: { id: String(request.id) },
      answerDeficiency: { ref: 'CON-2024-000455', id: String(deficiency.id) },
      staffResolve: { number: 'CON-2024-000455', id: String(deficiency.id) },
      // The demo company's second template (the first is deleted here, so each is tried on its own).
      companyTemplate: { template: String(templates[1].id) },
      companyTemplateDelete: { template: String(templates[0].id) },
      // The demo's issued permit, with a footings inspection asked for (staff's forms act on it).
      inspectionRequest: { ref: 'CON-2023-000118' },
      staffLetter: { kind: 'client', id: String(letter.id) },
      staffInspectionAct: { number: 'CON-2023-000118', id: String(inspection.id), action: 'schedule' },
    });
  }, 120_000);

  afterAll(async () => {
    await portal?.close();
    await scratch?.drop();
  });

  /** The rows a form may create or change (sessions, audit events and job queue left out). */
  async function fingerprint(): Promise<string> {
    const { rows } = await portal.runtime.db.raw(`
      SELECT md5(concat_ws('|',
        (SELECT string_agg(concat_ws(',', id, email, status, password_hash, locale), ';' ORDER BY id) FROM users),
        (SELECT string_agg(p::text, ';' ORDER BY user_id) FROM profiles p),
        (SELECT string_agg(a::text, ';' ORDER BY id) FROM applications a),
        (SELECT count(*) FROM application_events),
        (SELECT string_agg(c::text, ';' ORDER BY id) FROM companies c),
        (SELECT string_agg(m::text, ';' ORDER BY company_id, user_id) FROM company_members m),
        (SELECT string_agg(w::text, ';' ORDER BY id) FROM withdrawal_requests w),
        (SELECT string_agg(concat_ws(',', id, linked_user_id), ';' ORDER BY id) FROM client_records),
        (SELECT string_agg(m::text, ';' ORDER BY id) FROM application_messages m),
        (SELECT string_agg(d::text, ';' ORDER BY id) FROM deficiencies d),
        (SELECT count(*) FROM permits),
        (SELECT string_agg(f::text, ';' ORDER BY id) FROM fees f),
        (SELECT count(*) FROM fee_schedules),
        (SELECT string_agg(p::text, ';' ORDER BY id) FROM payments p),
        (SELECT string_agg(c::text, ';' ORDER BY id) FROM dev_checkouts c),
        (SELECT count(*) FROM account_tokens),
        (SELECT string_agg(d::text, ';' ORDER BY id) FROM documents d),
        (SELECT string_agg(concat_ws(',', id, name, permit_type, description, notes), ';' ORDER BY id) FROM application_templates),
        (SELECT string_agg(i::text, ';' ORDER BY id) FROM inspections i)
      )) AS print`);
    return rows[0].print as string;
  }

  it('lists every form of the router, and knows who posts each', () => {
    const routes = postRoutes(portal.app);
    expect(routes.length).toBeGreaterThanOrEqual(60);
    const unknown = routes.filter((path) => !WHO[pageOf(path) ?? '']);
    expect(unknown, 'forms this test does not know: add them to WHO').toEqual([]);
  });

  it(`answers ${CASES} hostile submissions with pages, never a 5xx, and stores nothing refused`, async () => {
    const routes = postRoutes(portal.app);
    const perRoute = Math.max(1, Math.ceil(CASES / routes.length));
    let refused = 0;
    const statuses = new Map<string, number>();
    for (const route of routes) {
      const name = pageOf(route)!;
      const lang = route.startsWith('/fr/') ? 'fr' : 'en';
      const path = route.replace(/:(\w+)/g, (_, key: string) =>
        encodeURIComponent(ROUTE_PARAMS[name]?.[key] ?? params[key]!),
      );
      const agent = name === 'signOut' ? visitor(portal.app) : agents[WHO[name]!];
      // The field names come from the form's own page when it has one, so new fields are covered too.
      const formPage = await agent.get(path);
      const html = formPage.status === 200 ? formPage.text : '';
      const onPage = [...html.matchAll(/<(?:input|select|textarea)\b[^>]*\sname="([^"]+)"/g)].map(
        (m) => m[1]!,
      );
      const names = [...new Set([...onPage, ...(FIELDS[name] ?? [])])].filter((n) => n !== '_csrf');
      // One token per session serves every form; a page the agent may open shows it.
      const tokenPage = {
        visitor: '/fr/connexion',
        unregistered: '/fr/tableau-de-bord',
        client: '/fr/tableau-de-bord',
        staff: '/fr/admin',
      }[name === 'signOut' ? 'visitor' : WHO[name]!];
      const token = csrfFrom((await agent.get(tokenPage)).text);
      if (process.env.HOSTILE_REPORT && lang === 'fr') console.log(`${name}: ${names.join(' ')}`);

      await fc.assert(
        fc.asyncProperty(hostileBody(names.length ? names : ['value']), async ({ pairs, csrf }) => {
          const before = await fingerprint();
          const tokenPair =
            csrf === 'valid' ? [`_csrf=${token}`] : csrf === 'forged' ? [`_csrf=${token.slice(1)}x`] : [];
          const res = await agent
            .post(path)
            .type('form')
            .send([...tokenPair, ...pairs].join('&'));
          const key = `${name} ${res.status}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          const where = `${route} ${res.status} ${[...tokenPair, ...pairs].join('&').slice(0, 200)}`;
          expect(res.status, where).toBeLessThan(500);
          // A page, in the language of the address, with nothing it was sent shown unescaped.
          expect(res.text, where).not.toContain(MARK);
          expect(res.text, where).not.toContain('<script>alert(1)');
          if (res.headers['content-type']?.startsWith('text/html')) {
            expect(res.text, where).toContain(`<html lang="${lang}">`);
          }
          if (csrf !== 'valid') expect(res.status, where).toBe(403);
          if (res.status >= 400) {
            refused += 1;
            expect(await fingerprint(), `${where}: a refused form changed stored data`).toBe(before);
          }
          if (res.status === 422) {
            // A refusal says what is wrong beside the field, in the page's language (no raw keys).
            expect(res.text, where).toMatch(/class="field-error"|class="error-summary"/);
            expect(textOf(res.text), where).not.toMatch(/\b(validation|errors|common):[\w.]+/);
          }
          if (res.status === 303 && res.headers.location?.startsWith('/')) {
            const next = await agent.get(res.headers.location);
            expect(next.status, `${where} → ${res.headers.location}`).toBeLessThan(500);
            expect(next.text, `${where} → ${res.headers.location}`).not.toContain(MARK);
          }
        }),
        { numRuns: perRoute, endOnFailure: true, seed: SEED },
      );
    }
    expect(refused).toBeGreaterThan(0);
    if (process.env.HOSTILE_REPORT)
      console.log(
        [...statuses]
          .sort()
          .map(([k, n]) => `${k}: ${n}`)
          .join('\n'),
      );

    // What was stored is shown escaped wherever it is shown.
    const shown = [
      '/fr/services-code-batiment/demandes?period=all',
      '/fr/services-code-batiment/mon-profil',
      `/fr/services-code-batiment/entreprises/${params.id}`,
      `/fr/services-code-batiment/entreprises/${params.id}/comptes-associes`,
      '/fr/services-code-batiment/professionnels-entrepreneurs',
    ];
    for (const page of shown) {
      const res = await agents.client.get(page);
      expect(res.status, page).toBeLessThan(500);
      expect(res.text, page).not.toContain(MARK);
    }
    for (const page of ['/fr/admin/demandes?q=a', '/fr/admin/comptes?q=a', '/fr/admin/journal']) {
      const res = await agents.staff.get(page);
      expect(res.status, page).toBeLessThan(500);
      expect(res.text, page).not.toContain(MARK);
    }
  }, 900_000);
});
