import compression from 'compression';
import { projectRoot } from './project-root';
import express, { type Express } from 'express';
import type { i18n } from 'i18next';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type pg from 'pg';
import { recordAudit } from './audit/audit';
import type { Config } from './config';
import type { Db } from './db/knex';
import { accountsRoutes } from './features/accounts';
import { accountsService } from './features/accounts/service';
import { applicationsRoutes } from './features/applications/routes';
import { homeTab } from './features/applications/home-tab';
import { applicationsService } from './features/applications/service';
import { companiesRoutes } from './features/companies/routes';
import { staffApplications } from './features/staff/applications';
import { staffRecords } from './features/staff/records';
import { staffRoutes } from './features/staff/routes';
import { staffRecordsRoutes } from './features/staff/routes-records';
import { staffApplicationsRoutes } from './features/staff/routes-applications';
import { staffService } from './features/staff/service';
import { withdrawalsRoutes } from './features/withdrawals/routes';
import { withdrawalsService } from './features/withdrawals/service';
import { companiesService } from './features/companies/service';
import { createPinVault } from './crypto/pin-vault';
import { createSealer } from './crypto/sealing';
import { dashboardRoutes } from './features/dashboard/routes';
import { devMailRoutes } from './features/dev-mail/routes';
import { healthRoutes } from './features/health/routes';
import { registrationRoutes } from './features/registration/routes';
import { registrationService } from './features/registration/service';
import { langFromAcceptLanguage } from './i18n/i18n';
import type { MailQueue } from './mail/queue';
import { createPassport } from './web/auth';
import { compressPages } from './web/compress';
import { csrfProtection } from './web/csrf';
import { errorHandler, notFound } from './web/errors';
import { flashMessages } from './web/flash';
import { formDefaults } from './web/forms';
import { languageFromUrl } from './web/language';
import { requestLogging } from './web/logging';
import { pathFor } from './web/paths';
import { parseQuery, queryInput } from './web/query-input';
import { rateLimits } from './web/rate-limits';
import { securityHeaders } from './web/security';
import { absoluteTimeout, saveBeforeRedirect, sessions } from './web/session';
import { viewHelpers } from './web/view-helpers';
import { useViews } from './web/views';

export interface AppServices {
  config: Config;
  db: Db;
  /** The session store's connection pool. */
  sessionPool: pg.Pool;
  i18n: i18n;
  logger: Logger;
  mail: MailQueue;
  /** True when mails go to the development mailbox, which then has its page. */
  devMailbox: boolean;
  /** Multiplies rate limits (tests walking many journeys from one address raise it). */
  rateLimitScale?: number;
}

/** The composition root: the portal, built from its parts. */
export function createApp(services: AppServices): Express {
  const { config, db, i18n, logger } = services;
  const app = express();
  app.disable('x-powered-by');
  // Pages are never cached (Cache-Control: no-store), so an ETag (a hash of every page) buys nothing.
  // The static files keep theirs: serve-static makes its own.
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', parseQuery);
  useViews(app);

  app.use(requestLogging(logger));
  app.use(healthRoutes(db));
  // Pages, CSS and script gzip-compressed (above 1 KB): a page with its assets stays a few KB on a phone.
  app.use(compressPages);
  app.use(securityHeaders(config.production));
  app.use(
    '/public',
    compression({ threshold: 1024 }),
    express.static(join(projectRoot, 'public'), { maxAge: config.production ? '1d' : 0 }),
  );
  // Browsers ask for /favicon.ico whatever the page says.
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/public/favicon.svg'));
  app.use(languageFromUrl(i18n), viewHelpers);
  app.use(express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 50 }));

  const accounts = accountsService({ db, mail: services.mail, baseUrl: config.baseUrl });
  const session = sessions({
    pool: services.sessionPool,
    secret: config.sessionSecret,
    production: config.production,
  });
  const passport = createPassport(db, accounts, session.signedInUsers);
  app.use(session.middleware);
  app.use(saveBeforeRedirect, absoluteTimeout);
  app.use(passport.session());
  app.use((req, res, next) => {
    res.locals.user = req.user;
    next();
  });
  app.use(flashMessages, formDefaults, queryInput);
  app.use(csrfProtection({ production: config.production }));

  app.get('/', (req, res) => res.redirect(303, `/${langFromAcceptLanguage(req.get('accept-language'))}`));
  for (const lang of ['fr', 'en'] as const) {
    app.get(`/${lang}`, (req, res) =>
      res.redirect(
        303,
        pathFor(req.user?.role === 'staff' ? 'adminHome' : req.user ? 'dashboard' : 'signIn', lang),
      ),
    );
  }
  const limits = rateLimits({
    scale: services.rateLimitScale ?? 1,
    onLimit: (req) =>
      recordAudit(db, {
        event: 'rate_limit.hit',
        actorUserId: req.user?.id,
        ip: req.ip,
        details: { path: req.path },
      }),
  });
  app.use(accountsRoutes(accounts, passport, limits));
  app.use(dashboardRoutes());
  // Company and client PINs: found by a keyed hash, shown to managers and on letters from their seal.
  const pins = createPinVault(config.sessionSecret);
  const registration = registrationService(db, pins);
  app.use(registrationRoutes(registration));
  const applications = applicationsService(db);
  const withdrawals = withdrawalsService({ db, mail: services.mail, baseUrl: config.baseUrl });
  app.use(applicationsRoutes(applications, registration, withdrawals.mayWithdraw));
  app.use(withdrawalsRoutes(withdrawals, applications, registration));
  const companies = companiesService({
    db,
    mail: services.mail,
    pins,
    baseUrl: config.baseUrl,
  });
  app.use(companiesRoutes(companies, registration, homeTab(applications)));
  const staff = staffService({
    db,
    mail: services.mail,
    totpSealer: createSealer(config.sessionSecret, 'totp'),
    baseUrl: config.baseUrl,
  });
  app.use(staffRoutes(staff, accounts, limits, db));
  app.use(staffApplicationsRoutes(staffApplications(db), db));
  app.use(staffRecordsRoutes(staffRecords({ db, pins }), db));
  if (services.devMailbox && !config.production) app.use(devMailRoutes(db));

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
