import { Router } from 'express';
import type { PassportStatic } from 'passport';
import type { RateLimits } from '../../web/rate-limits';
import { activationRoutes } from './routes/activation';
import { passwordResetRoutes } from './routes/password-reset';
import { settingsRoutes } from './routes/settings';
import { signInRoutes } from './routes/sign-in';
import { signUpRoutes } from './routes/sign-up';
import type { AccountsService } from './service';

export function accountsRoutes(
  accounts: AccountsService,
  passport: PassportStatic,
  limits: RateLimits,
): Router {
  return Router()
    .use(signInRoutes(accounts, passport, limits))
    .use(signUpRoutes(accounts, limits))
    .use(activationRoutes(accounts, limits))
    .use(passwordResetRoutes(accounts, limits))
    .use(settingsRoutes(accounts, limits));
}
