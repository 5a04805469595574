import type { TaskList } from 'graphile-worker';
import type { i18n } from 'i18next';
import type { Logger } from 'pino';
import pg from 'pg';
import { PRUNE_CRONTAB, PRUNE_TASK, pruneTask } from './db/prune';
import type { Config } from './config';
import { createPinVault, type PinVault } from './crypto/pin-vault';
import { createSealer, type Sealer } from './crypto/sealing';
import { createDb, type Db } from './db/knex';
import { accountTasks } from './features/accounts/jobs';
import { defaultPasswordHashing, type PasswordHashing } from './features/accounts/passwords';
import { accountsService, type AccountsService } from './features/accounts/service';
import { statusMoves } from './features/applications/lifecycle';
import { applicationsService, type ApplicationsService } from './features/applications/service';
import { companiesService, type CompaniesService } from './features/companies/service';
import { contactsService, type ContactsService } from './features/contacts/service';
import { registrationService, type RegistrationService } from './features/registration/service';
import { staffApplications, type StaffApplications } from './features/staff/applications';
import { earlierRecords, type EarlierRecords } from './features/earlier-records/service';
import { staffService, type StaffService } from './features/staff/service';
import { withdrawalDecisions, type WithdrawalDecisions } from './features/withdrawals/decisions';
import { withdrawalsService, type WithdrawalsService } from './features/withdrawals/service';
import { createI18n } from './i18n/i18n';
import { createMailQueue, type MailQueue } from './mail/queue';
import { permitsService, type PermitsService } from './features/permits/service';
import { conversation, type Conversation } from './features/review/conversation';
import { notifier } from './features/review/notify';
import { staffMoves, type StaffMoves } from './features/review/staff-moves';
import { reviewQueues, type ReviewQueues } from './features/review/queues';
import { pathFor } from './web/paths';
import { feesService, type FeesService } from './features/fees/service';
import { bankingService, type BankingService } from './features/banking/service';
import { createHmac } from 'node:crypto';
import { devPaymentProvider, type DevPaymentProvider } from './features/payments/dev-provider';
import { paymentTasks } from './features/payments/jobs';
import { paymentsService, type PaymentsService } from './features/payments/service';
import { stripePaymentProvider } from './features/payments/stripe-provider';
import { devMailboxMailer, smtpMailer, type Mailer } from './mail/transport';
import { documentsService, type DocumentsService } from './features/documents/service';
import { documentTasks } from './features/documents/jobs';
import { clamdScanner } from './scanning/scanner';
import { objectStoreFor } from './storage';
import { templatesService, type TemplatesService } from './features/templates/service';
import { inspectionsService, type InspectionsService } from './features/inspections/service';

/** Every service of the portal, built once (createServices) and handed to the app, the CLI and tests. */
export interface Services {
  /** Password hashing on threads of its own, with its limits (one pool per process). */
  passwords: PasswordHashing;
  /** Links waiting in the mail queue, and the staff's second-factor secrets, each under its own key. */
  sealers: { mail: Sealer; totp: Sealer; bank: Sealer };
  /** Company and client PINs: keyed hashes, and the sealed PIN managers and letters show. */
  pins: PinVault;
  mail: MailQueue;
  accounts: AccountsService;
  registration: RegistrationService;
  applications: ApplicationsService;
  withdrawals: WithdrawalsService;
  withdrawalDecisions: WithdrawalDecisions;
  companies: CompaniesService;
  contacts: ContactsService;
  staff: StaffService;
  staffApplications: StaffApplications;
  earlierRecords: EarlierRecords;
  permits: PermitsService;
  staffMoves: StaffMoves;
  conversation: Conversation;
  reviewQueues: ReviewQueues;
  fees: FeesService;
  banking: BankingService;
  /**
   * Paying fees; absent where no payment provider is configured (production, until its provider is
   * set), and then the portal says payment is not offered online.
   */
  payments?: PaymentsService;
  /** The development payment page's provider (outside production only). */
  devPayments?: DevPaymentProvider;
  documents: DocumentsService;
  templates: TemplatesService;
  inspections: InspectionsService;
}

/** The permits, which print the public "Vérifier un permis" page's address (also used by the demo seed). */
export function buildPermits(db: Db, i18n: i18n, baseUrl: string): PermitsService {
  return permitsService({
    db,
    i18n,
    verifyUrls: {
      fr: `${baseUrl}${pathFor('verifyPermit', 'fr')}`,
      en: `${baseUrl}${pathFor('verifyPermit', 'en')}`,
    },
  });
}

/** The address part of MAIL_FROM ("Name <address>"), for the calendar files' organizer. */
function mailAddress(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from;
}

/** The composition of services: each built once, from the configuration and one database. */
export function createServices(config: Config, db: Db, i18n: i18n): Services {
  const secret = config.sessionSecret;
  const passwords = defaultPasswordHashing();
  const sealers = {
    mail: createSealer(secret, 'queued-mail-secrets'),
    totp: createSealer(secret, 'totp'),
    bank: createSealer(secret, 'bank-accounts'),
  };
  const pins = createPinVault(secret);
  const mail = createMailQueue(sealers.mail, config.baseUrl);
  const moveStatus = statusMoves(mail);
  const notify = notifier(mail);
  const permits = buildPermits(db, i18n, config.baseUrl);
  const talk = conversation({ db, moveStatus, notify });
  const fees = feesService({ db });
  const inspections = inspectionsService({
    db,
    moveStatus,
    notify,
    organizer: {
      name: 'Services du Code du bâtiment / Building Code Services',
      email: mailAddress(config.mailFrom),
    },
  });
  const documents = documentsService({
    db,
    store: objectStoreFor(config.storage),
    scanner: config.clamdAddress ? clamdScanner(config.clamdAddress) : undefined,
    mail,
    conversation: talk,
  });
  // The development payment page outside production (unless Stripe is chosen); Stripe when configured.
  const devPayments =
    config.production || config.payments.provider !== 'dev'
      ? undefined
      : devPaymentProvider(
          db,
          createHmac('sha256', secret).update('development-payment-notifications').digest('hex'),
          (id, lang) => pathFor('devPayment', lang, { id }),
        );
  const provider =
    config.payments.provider === 'stripe'
      ? stripePaymentProvider({ ...config.payments, baseUrl: config.baseUrl })
      : devPayments;
  const payments =
    provider &&
    paymentsService({
      db,
      provider,
      moveStatus,
      mail,
      i18n,
      returnUrl: (lang) => pathFor('paymentReturn', lang),
    });
  return {
    passwords,
    sealers,
    pins,
    mail,
    accounts: accountsService({ db, mail, passwords }),
    registration: registrationService(db, pins),
    applications: applicationsService({ db, moveStatus, notify }),
    withdrawals: withdrawalsService({ db, mail }),
    withdrawalDecisions: withdrawalDecisions({ db, mail, moveStatus, payments }),
    companies: companiesService({ db, mail, pins }),
    contacts: contactsService({ db, pins }),
    staff: staffService({ db, passwords, totpSealer: sealers.totp }),
    staffApplications: staffApplications({
      db,
      conversation: talk,
      permits,
      fees,
      documentsOf: documents.documentsOf,
      inspectionsOf: inspections.ofApplication,
    }),
    earlierRecords: earlierRecords({ db, pins }),
    permits,
    staffMoves: staffMoves({
      db,
      moveStatus,
      notify,
      permits,
      fees,
      inspectionsMissing: inspections.mandatoryMissing,
    }),
    inspections,
    fees,
    banking: bankingService({ db, sealer: sealers.bank, mail }),
    payments,
    devPayments,
    conversation: talk,
    reviewQueues: reviewQueues(db),
    documents,
    templates: templatesService({ db }),
  };
}

/** Everything the portal and its background worker need, connected to one database. */
export interface Runtime {
  config: Config;
  db: Db;
  /** The session store's and the job queue's connection pool. */
  sessionPool: pg.Pool;
  i18n: i18n;
  logger: Logger;
  services: Services;
  /** True when mails go to the development mailbox, which then has its page. */
  devMailbox: boolean;
  mailer: Mailer;
  /** For the worker: what opens the sealed secrets of queued mails. */
  sealer: Sealer;
  /** The background tasks the worker runs beside sending emails. */
  tasks: TaskList;
  /** The recurring ones among them. */
  crontab: string;
  /** Multiplies rate limits (tests walking many journeys from one address raise it). */
  rateLimitScale?: number;
  close: () => Promise<void>;
}

export function buildRuntime(config: Config, databaseUrl: string, logger: Logger): Runtime {
  const db = createDb(databaseUrl);
  const sessionPool = new pg.Pool({
    connectionString: databaseUrl,
    max: 5,
    application_name: 'permit-portal-sessions',
    // Like knex's acquireConnectionTimeout: an unreachable database answers 503 in seconds, not never.
    connectionTimeoutMillis: 5000,
  });
  // An idle connection the database drops (restart, failover) must not crash the process.
  const lost = (error: Error & { code?: string }) =>
    logger.warn({ code: error.code, reason: error.message }, 'database connection lost');
  sessionPool.on('error', lost);
  sessionPool.on('connect', (client) => client.on('error', lost));
  const i18n = createI18n(
    (lang, key) => logger.warn({ lang, key }, 'missing translation'),
    config.municipality,
  );
  const services = createServices(config, db, i18n);
  return {
    config,
    db,
    sessionPool,
    i18n,
    logger,
    services,
    devMailbox: !config.smtpUrl,
    mailer: config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : devMailboxMailer(db),
    sealer: services.sealers.mail,
    tasks: {
      ...accountTasks(services.accounts),
      ...(services.payments ? paymentTasks(services.payments) : {}),
      ...documentTasks(services.documents),
      [PRUNE_TASK]: pruneTask(sessionPool),
    },
    crontab: PRUNE_CRONTAB,
    async close() {
      await Promise.all([db.destroy(), sessionPool.end(), services.passwords.stop()]);
    },
  };
}
