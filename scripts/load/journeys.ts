import { generate } from 'otplib';
import { pathFor } from '../../src/web/paths';
import type { Lang } from '../../src/i18n/i18n';
import { Client, type Exchange } from './client';
import type { MailSink } from './mail-sink';

export const PASSWORD = 'load test maple syrup tuesdays';
export const STAFF_PASSWORD = 'load test staff rideau canal';

/** What the simulated users were told had been done: each must be in the database afterwards. */
export interface Ledger {
  activated: string[];
  registered: string[];
  companies: { id: number; manager: string }[];
  joined: { companyId: number; email: string }[];
  granted: { companyId: number; email: string }[];
  applications: { number: string; email: string }[];
  withdrawalsRequested: string[];
  withdrawalsApproved: string[];
  /** Applications whose fee the person was told was paid (Paiement reçu). */
  paid: string[];
  /** Journeys that stopped at a step that did not give the expected answer, by step. */
  abandoned: Record<string, number>;
}

export function emptyLedger(): Ledger {
  return {
    activated: [],
    registered: [],
    companies: [],
    joined: [],
    granted: [],
    applications: [],
    withdrawalsRequested: [],
    withdrawalsApproved: [],
    paid: [],
    abandoned: {},
  };
}

interface Company {
  id: number;
  pin: string;
  manager: Client;
  lang: Lang;
}

export interface World {
  /** The portal instances; each person's requests go to each in turn. */
  origins: string[];
  sink: MailSink;
  ledger: Ledger;
  log: (exchange: Exchange) => void;
  /** New steps start only before this time (ms since epoch). */
  deadline: number;
  /** Companies that colleagues can join, with their manager's signed-in client. */
  companies: Company[];
  runId: string;
  /** Applications waiting for staff to assess their fee (the person then pays it). */
  toAssess: string[];
}

/** A step that did not answer as a working portal would: the simulated person gives up, as people do. */
class Abandon extends Error {
  constructor(readonly step: string) {
    super(step);
  }
}

function expect(step: string, res: { status: number }, status: number): void {
  if (res.status !== status) throw new Abandon(`${step} → ${res.status}`);
}

const APPLICATION = {
  permitType: 'house',
  floorArea: '120',
  streetNumber: '110',
  streetName: 'LAURIER AVE OUEST/WEST',
  postalCode: 'K1P 1J1',
  description: 'Agrandissement à l’arrière',
  action: 'submit',
};

/**
 * One person's whole journey: sign up, activate through the email the SMTP server received, register,
 * then (by turns) create a company, or join one and be granted "submit" by its manager, and submit
 * applications, one of which is withdrawn.
 */
export async function personJourney(world: World, vu: number, round: number): Promise<void> {
  const lang: Lang = (vu + round) % 3 === 0 ? 'en' : 'fr';
  const client = new Client(world.origins, world.log);
  const email = `load.${world.runId}.${vu}.${round}@example.test`;
  const ledger = world.ledger;
  const step = <T>(name: string, work: () => Promise<T>): Promise<T> => {
    if (Date.now() > world.deadline) throw new Abandon('time');
    return work().catch((error: unknown) => {
      throw error instanceof Abandon ? error : new Abandon(`${name}: ${String(error)}`);
    });
  };
  try {
    const signUp = pathFor('signUp', lang);
    await step('sign up', async () =>
      expect(
        'sign up',
        await client.submit(signUp, signUp, {
          email,
          emailConfirm: email,
          password: PASSWORD,
          passwordConfirm: PASSWORD,
          terms: 'on',
        }),
        303,
      ),
    );
    // As a person would: wait for the email (through the real SMTP path), then follow its link.
    const mail = await world.sink.waitFor(email, 'activation', 90_000);
    if (!mail) throw new Abandon('activation email not received');
    const link = new URL(/https?:\/\/\S+activ\S+/.exec(mail.text)![0]);
    await step('activate', async () =>
      expect(
        'activate',
        await client.submit(link.pathname + link.search, link.pathname, {
          token: link.searchParams.get('token') ?? '',
          password: PASSWORD,
        }),
        303,
      ),
    );
    ledger.activated.push(email);
    const register = pathFor('register', lang);
    await step('register', async () =>
      expect(
        'register',
        await client.submit(register, register, {
          firstName: 'Charge',
          lastName: `Essai ${vu}`,
          language: lang,
          phone: '613-580-2400',
          consent: 'on',
        }),
        303,
      ),
    );
    ledger.registered.push(email);

    let onBehalfOf = 'self';
    const joinable = world.companies.at(-1 - (round % Math.max(1, world.companies.length)));
    if (round % 2 === 0 || !joinable) {
      const company = await step('create company', () => createCompany(client, lang, vu));
      world.companies.push(company);
      ledger.companies.push({ id: company.id, manager: email });
      onBehalfOf = String(company.id);
    } else {
      await step('join company', () => joinCompany(world, client, lang, joinable, email));
      onBehalfOf = String(joinable.id);
    }

    const newApplication = pathFor('newApplication', lang);
    const numbers: string[] = [];
    for (const behalf of ['self', onBehalfOf]) {
      const res = await step('submit application', () =>
        client.submit(newApplication, newApplication, { ...APPLICATION, onBehalfOf: behalf }),
      );
      expect('submit application', res, 303);
      const number = decodeURIComponent(res.location!.split('/').pop()!);
      ledger.applications.push({ number, email });
      numbers.push(number);
    }
    // Staff assess the fee of the person's own application; the person pays it, then withdraws it.
    world.toAssess.push(numbers[0]!);
    await step('pay fee', () => payFee(world, client, lang, numbers[0]!));
    ledger.paid.push(numbers[0]!);
    const withdraw = pathFor('withdrawApplication', lang, { ref: numbers[0]! });
    await step('withdraw', async () =>
      expect('withdraw', await client.submit(withdraw, withdraw, { comment: 'Projet abandonné' }), 303),
    );
    ledger.withdrawalsRequested.push(numbers[0]!);
  } catch (error) {
    if (!(error instanceof Abandon)) throw error;
    const key = error.step.replace(/ \d+$/, '');
    ledger.abandoned[key] = (ledger.abandoned[key] ?? 0) + 1;
    // Someone who met an error page does not try again in the same second.
    if (error.step !== 'time') await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/**
 * Waits for the fee on Frais impayés, ticks it, pays on the provider's page (the load's Stripe-compatible
 * server), and comes back to "Paiement reçu" with a receipt.
 */
async function payFee(world: World, client: Client, lang: Lang, number: string): Promise<void> {
  const unpaid = pathFor('unpaidFees', lang);
  let page = await client.get(unpaid);
  for (let wait = 0; !page.text.includes(number); wait += 1) {
    if (wait > 60 || Date.now() > world.deadline) throw new Abandon('fee not assessed');
    await new Promise((resolve) => setTimeout(resolve, 500));
    page = await client.get(unpaid);
  }
  const feeId = new RegExp(`name="fees" value="(\\d+)"[^>]*>[\\s\\S]*?${number}`).exec(page.text)?.[1];
  if (!feeId) throw new Abandon('fee not listed');
  const started = await client.post(page.text, unpaid, { fees: [feeId] });
  expect('pay', started, 303);
  // The provider's page, on its own origin: it pays, and sends the browser back to the portal.
  const provider = await fetch(started.location!, { redirect: 'manual' });
  if (provider.status !== 303) throw new Abandon(`provider page → ${provider.status}`);
  const back = new URL(provider.headers.get('location')!);
  const confirmation = await client.get(back.pathname + back.search);
  expect('payment return', confirmation, 200);
  if (!/REC-\d{4}-\d{6}/.test(confirmation.text)) throw new Abandon('payment not confirmed');
}

async function createCompany(client: Client, lang: Lang, vu: number): Promise<Company> {
  const form = pathFor('companyNew', lang);
  const res = await client.submit(form, form, {
    legalName: `Constructions Charge ${vu}`,
    phone: '613-580-2400',
    province: 'ON',
  });
  expect('create company', res, 303);
  const id = Number(/\/(?:entreprises|companies)\/(\d+)/.exec(res.location ?? '')?.[1]);
  const members = await client.get(pathFor('companyMembers', lang, { id: String(id) }));
  expect('company members', members, 200);
  const pin = /class="pin">[^<]*<strong>([A-Z0-9-]+)<\/strong>/.exec(members.text)?.[1];
  if (!pin) throw new Abandon('company PIN not shown');
  return { id, pin, manager: client, lang };
}

/** Joins with the company's PIN; then its manager (another person, in their own session) grants "submit". */
async function joinCompany(world: World, client: Client, lang: Lang, company: Company, email: string) {
  const tab = pathFor('bcsCompanies', lang);
  expect(
    'join company',
    await client.submit(tab, pathFor('companyAssociate', lang), { pin: company.pin }),
    303,
  );
  world.ledger.joined.push({ companyId: company.id, email });
  const members = pathFor('companyMembers', company.lang, { id: String(company.id) });
  // Members are listed by name, 10 to a page: the manager pages on until the newcomer's row (its
  // select box, then its name and address: views/companies/members.ejs).
  const row = new RegExp(
    `value="(\\d+)" id="member-\\d+"[^>]*></td>\\s*<th[^>]*>[^<]*<input[^>]*>[^<]*<span class="member-email">\\(${email.replace(/\./g, '\\.')}\\)`,
  );
  let page = await company.manager.get(members);
  let userId = row.exec(page.text)?.[1];
  for (let next = nextPage(page.text); !userId && next; next = nextPage(page.text)) {
    page = await company.manager.get(next);
    userId = row.exec(page.text)?.[1];
  }
  expect('members page', page, 200);
  if (!userId) throw new Abandon('new member not listed');
  const granted = await company.manager.post(page.text, members, {
    action: 'grant_submit',
    members: [userId],
  });
  expect('grant permission', granted, 303);
  world.ledger.granted.push({ companyId: company.id, email });
}

function nextPage(html: string): string | undefined {
  return /<a href="([^"]+)" rel="next">/.exec(html)?.[1]?.replace(/&amp;/g, '&');
}

/**
 * A member of the city's staff: signs in with password and a TOTP code (enrolling at the first
 * sign-in), then approves pending withdrawal requests, oldest first, until `until`.
 */
export async function staffJourney(world: World, email: string, until: () => boolean): Promise<void> {
  const client = new Client(world.origins, world.log);
  const signIn = pathFor('staffSignIn', 'fr');
  const res = await client.submit(signIn, signIn, { email, password: STAFF_PASSWORD });
  if (res.status !== 303) throw new Error(`staff sign-in answered ${res.status}`);
  const enrol = await client.get(pathFor('staffEnrol', 'fr'));
  const secret = /class="secret">([A-Z2-7]+)</.exec(enrol.text)?.[1];
  if (!secret) throw new Error('no TOTP secret on the enrolment page');
  const enrolled = await client.post(enrol.text, pathFor('staffEnrol', 'fr'), {
    code: await generate({ secret }),
  });
  if (enrolled.status !== 303) throw new Error(`staff enrolment answered ${enrolled.status}`);

  const queue = pathFor('staffWithdrawals', 'fr');
  while (!until()) {
    // Fees first: people are waiting on Frais impayés.
    for (let number = world.toAssess.shift(); number; number = world.toAssess.shift()) {
      const path = pathFor('staffApplication', 'fr', { number });
      for (const [action, fields] of [
        ['startReview', { seen: 'submitted' }],
        ['assessFees', { seen: 'in_review', feeAmount: '1 250,50', feesReason: 'Charge' }],
      ] as const) {
        const page = await client.get(path);
        await client.post(page.text, `${path}/actions/${action}`, fields);
      }
    }
    const list = await client.get(queue);
    const ids = [...list.text.matchAll(/\/fr\/admin\/demandes-de-retrait\/(\d+)"/g)].map((m) => m[1]!);
    if (!ids.length) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    for (const id of ids) {
      if (until()) return;
      const path = pathFor('staffWithdrawal', 'fr', { id });
      const page = await client.get(path);
      const number = /CON-\d{4}-\d{6}/.exec(page.text)?.[0];
      if (!number) continue;
      const decided = await client.post(page.text, path, {
        decision: 'approve',
        staffComment: 'Retrait accepté.',
        refund: 'none',
      });
      if (decided.status === 303 && number) world.ledger.withdrawalsApproved.push(number);
    }
  }
}
