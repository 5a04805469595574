import compression from 'compression';
import express, { type Express } from 'express';
import { join } from 'node:path';
import type { PassportStatic } from 'passport';
import { recordAudit } from './audit/audit';
import { accountsRoutes } from './features/accounts';
import { createPassport } from './features/accounts/passport';
import { sessionUserPreload } from './features/accounts/session-user';
import { applicationsRoutes } from './features/applications/routes';
import { homeTab } from './features/applications/home-tab';
import { companiesRoutes } from './features/companies/routes';
import { dashboardRoutes } from './features/dashboard/routes';
import { infoRoutes } from './features/info/routes';
import { contactsRoutes } from './features/contacts/routes';
import { devMailRoutes } from './features/dev-mail/routes';
import { healthRoutes } from './features/health/routes';
import { registrationRoutes } from './features/registration/routes';
import { staffRoutes } from './features/staff/routes';
import { staffApplicationsRoutes } from './features/staff/routes-applications';
import { reviewRoutes } from './features/review/routes';
import { permitsRoutes } from './features/permits/routes';
import { feesRoutes } from './features/fees/routes';
import { paymentsRoutes, paymentWebhook } from './features/payments/routes';
import { devPaymentRoutes } from './features/payments/dev-routes';
import { staffPaymentsRoutes } from './features/payments/staff-routes';
import { feeTableRoutes } from './features/fees/staff-routes';
import { companyFeesRoutes } from './features/fees/company-routes';
import { bankingRoutes } from './features/banking/routes';
import { earlierRecordsRoutes } from './features/earlier-records/routes';
import { staffAccountsRoutes } from './features/staff/routes-accounts';
import { withdrawalsRoutes } from './features/withdrawals/routes';
import { withdrawalDecisionRoutes } from './features/withdrawals/staff-routes';
import { langFromAcceptLanguage } from './i18n/i18n';
import { projectRoot } from './project-root';
import type { Runtime } from './services';
import { compressPages, saveBeforeRedirect } from './web/overrides/response';
import { csrfProtection } from './web/csrf';
import { documentsRoutes } from './features/documents/routes';
import { staffDocumentsRoutes } from './features/documents/staff-routes';
import { templatesRoutes } from './features/templates/routes';
import { inspectionsRoutes } from './features/inspections/routes';
import { staffInspectionsRoutes } from './features/inspections/staff-routes';
import { errorHandler, notFound } from './web/errors';
import { flashMessages } from './web/flash';
import { formDefaults } from './web/forms';
import { languageFromUrl } from './web/language';
import { requestLogging } from './web/logging';
import { pathFor } from './web/paths';
import { parseQuery, queryInput } from './web/query-input';
import { rateLimits, type RateLimits } from './web/rate-limits';
import { securityHeaders } from './web/security';
import { absoluteTimeout, sessions } from './web/session';
import { viewHelpers } from './web/view-helpers';
import { useViews } from './web/views';

/** What the app is built from: the runtime without what only the process and its worker use. */
export type AppRuntime = Pick<
  Runtime,
  'config' | 'db' | 'sessionPool' | 'i18n' | 'logger' | 'services' | 'devMailbox' | 'rateLimitScale'
>;

/** The composition root: the portal, built from its parts in the order a request meets them. */
export function createApp(runtime: AppRuntime): Express {
  const app = express();
  setUpPlatform(app, runtime);
  setUpRequests(app, runtime);
  const passport = setUpSessions(app, runtime);
  setUpRoutes(app, runtime, passport, setUpRateLimits(runtime));
  setUpErrors(app, runtime);
  return app;
}

/** Settings, request logs, health checks, compression, security headers, static files. */
function setUpPlatform(app: Express, { config, db, logger, services }: AppRuntime): void {
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
  // The payment provider's notifications: raw bytes, no session, no CSRF (the signature is the check).
  if (services.payments) app.use(paymentWebhook(services.payments));
  // Browsers ask for /favicon.ico whatever the page says.
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/public/favicon.svg'));
}

/** The page language from the URL, and form bodies within limits. */
function setUpRequests(app: Express, { i18n }: AppRuntime): void {
  app.use(languageFromUrl(i18n), viewHelpers);
  app.use(express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 50 }));
}

/** Sessions in PostgreSQL, the signed-in account, one-time messages, form defaults and CSRF. */
function setUpSessions(app: Express, { config, db, sessionPool, services }: AppRuntime): PassportStatic {
  const session = sessions({
    pool: sessionPool,
    secret: config.sessionSecret,
    production: config.production,
  });
  // The signed-in account, its registration and its lists are read with the session, in one query.
  const passport = createPassport(db, services.accounts, sessionUserPreload(session.store, sessionPool));
  app.use(session.middleware);
  app.use(saveBeforeRedirect, absoluteTimeout);
  app.use(passport.session());
  app.use((req, res, next) => {
    res.locals.user = req.user;
    next();
  });
  app.use(flashMessages, formDefaults, queryInput);
  const csrf = csrfProtection({ production: config.production });
  app.use(csrf.tokens);
  // Uploads read their own (multipart) bodies and check the form's token themselves, before any file is
  // accepted; every other POST is checked here, and a multipart one anywhere else carries no token.
  app.use(
    documentsRoutes(services.documents, services.applications, services.registration, {
      tmpDir: config.uploadTmpDir,
      tokenValid: csrf.tokenValid,
    }),
  );
  app.use(csrf.check);
  return passport;
}

/** Limits that act before any password is hashed or email queued; each refusal is audited. */
function setUpRateLimits({ db, sessionPool, rateLimitScale }: AppRuntime): RateLimits {
  return rateLimits({
    pool: sessionPool,
    scale: rateLimitScale ?? 1,
    onLimit: (req) =>
      recordAudit(db, {
        event: 'rate_limit.hit',
        actorUserId: req.user?.id,
        ip: req.ip,
        details: { path: req.path },
      }),
  });
}

/** Every journey's pages. */
function setUpRoutes(app: Express, runtime: AppRuntime, passport: PassportStatic, limits: RateLimits): void {
  const { config, db, services } = runtime;
  const { accounts, registration, applications, withdrawals, companies, staff } = services;
  app.get('/', (req, res) => res.redirect(303, `/${langFromAcceptLanguage(req.get('accept-language'))}`));
  for (const lang of ['fr', 'en'] as const) {
    app.get(`/${lang}`, (req, res) =>
      res.redirect(
        303,
        pathFor(req.user?.role === 'staff' ? 'staffHome' : req.user ? 'dashboard' : 'signIn', lang),
      ),
    );
  }
  app.use(accountsRoutes(accounts, passport, limits));
  app.use(dashboardRoutes());
  app.use(infoRoutes());
  app.use(registrationRoutes(registration));
  app.use(
    applicationsRoutes(
      applications,
      registration,
      services.conversation,
      services.permits,
      services.fees,
      services.documents,
      services.templates,
      services.inspections,
      services.contacts,
    ),
  );
  app.use(contactsRoutes(services.contacts, applications, registration));
  app.use(inspectionsRoutes(services.inspections, applications, registration));
  app.use(reviewRoutes(services.conversation, applications, registration));
  app.use(permitsRoutes(services.permits, registration, limits));
  app.use(feesRoutes(services.fees, !!services.payments));
  if (services.payments) app.use(paymentsRoutes(services.payments, services.fees));
  if (services.payments) app.use(staffPaymentsRoutes(services.payments));
  if (services.devPayments && !config.production) app.use(devPaymentRoutes(services.devPayments, db));
  app.use(feeTableRoutes(services.fees));
  app.use(companyFeesRoutes(services.fees, companies, registration, !!services.payments));
  app.use(bankingRoutes(services.banking, companies, registration));
  app.use(templatesRoutes(services.templates, companies, registration));
  app.use(withdrawalsRoutes(withdrawals, applications, registration));
  app.use(companiesRoutes(companies, registration, homeTab(applications)));
  app.use(staffRoutes(staff, accounts, services.withdrawalDecisions, limits, db));
  app.use(withdrawalDecisionRoutes(services.withdrawalDecisions));
  app.use(
    staffApplicationsRoutes(
      services.staffApplications,
      services.staffMoves,
      services.conversation,
      services.permits,
      services.reviewQueues,
      db,
    ),
  );
  app.use(staffDocumentsRoutes(services.documents));
  app.use(staffInspectionsRoutes(services.inspections, services.staffApplications));
  app.use(earlierRecordsRoutes(services.earlierRecords));
  app.use(staffAccountsRoutes(db));
  if (runtime.devMailbox && !config.production) app.use(devMailRoutes(db));
}

/** 404 for what no route answered, and the one handler that turns errors into pages. */
function setUpErrors(app: Express, { logger }: AppRuntime): void {
  app.use(notFound);
  app.use(errorHandler(logger));
}
