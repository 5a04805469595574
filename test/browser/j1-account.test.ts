import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD } from '../support/accounts';
import { testPortal } from '../support/app';
import { uniqueEmail } from '../support/browser-like';
import { waitForEmail } from '../support/mailbox';
import { browserAvailable, browserHarness, expectAccessible, fillSignUp, JOURNEY } from './browser';

const words = {
  fr: {
    start: '/fr',
    signInTitle: 'Connexion',
    createAccount: 'Créer un compte',
    email: 'Adresse courriel',
    emailConfirm: "Confirmation de l'adresse courriel",
    password: 'Mot de passe',
    passwordConfirm: 'Confirmation du mot de passe',
    terms: "J'ai lu et j'accepte les conditions générales d'utilisation.",
    checkEmail: 'Vérifiez vos courriels',
    activate: 'Activer mon compte',
    dashboard: 'Tableau de bord',
    widget: 'Construction, planification et aménagement du territoire',
    settings: 'Mes paramètres',
    userMenu: 'Menu du compte',
    signOut: 'Déconnexion',
    signedOut: 'Vous êtes déconnecté.',
    errors: 'Veuillez corriger les erreurs suivantes',
  },
  en: {
    start: '/en',
    signInTitle: 'Sign in',
    createAccount: 'Create account',
    email: 'Email address',
    emailConfirm: 'Confirm email address',
    password: 'Password',
    passwordConfirm: 'Confirm password',
    terms: 'I have read and accept the terms of use.',
    checkEmail: 'Check your email',
    activate: 'Activate my account',
    dashboard: 'Dashboard',
    widget: 'Building, planning and development',
    settings: 'My settings',
    userMenu: 'Account menu',
    signOut: 'Sign out',
    signedOut: 'You are signed out.',
    errors: 'Please correct the following errors',
  },
} as const;

const run = browserAvailable();

describe.runIf(run)('J1 in a real browser: create, activate, sign in and out', JOURNEY, () => {
  const portal = testPortal({ rateLimitScale: 10 });
  const harness = browserHarness(portal.app);
  afterAll(() => portal.close());

  for (const lang of ['fr', 'en'] as const) {
    const w = words[lang];

    it(`walks the journey in ${lang === 'fr' ? 'French' : 'English'}, every page passing axe`, async () => {
      const context = await harness.browser.newContext();
      const page = await context.newPage();
      await page.goto(harness.origin + w.start);
      await expect.poll(() => page.locator('h1').textContent()).toBe(w.signInTitle);
      await expectAccessible(page);

      await page.getByRole('link', { name: w.createAccount }).click();
      await expectAccessible(page);

      // Sending the empty form shows the error summary, focused, and each field's message.
      await page.getByRole('button', { name: w.createAccount }).click();
      await expect.poll(() => page.locator('.error-summary h2').textContent()).toBe(w.errors);
      expect(await page.evaluate("document.activeElement?.classList.contains('error-summary')")).toBe(true);
      await expectAccessible(page);

      const email = uniqueEmail(`browser-${lang}`);
      await fillSignUp(page, w, email);
      await page.getByRole('button', { name: w.createAccount }).click();
      await expect.poll(() => page.locator('h1').textContent()).toBe(w.checkEmail);
      await expectAccessible(page);

      const link = new URL((await waitForEmail(email)).links.find((l) => l.includes('token='))!);
      await page.goto(harness.origin + link.pathname + link.search);
      await expect.poll(() => page.locator('h1').textContent()).toBe(w.activate);
      await expectAccessible(page);
      await page.getByLabel(w.password, { exact: true }).fill(GOOD_PASSWORD);
      await page.getByRole('button', { name: w.activate }).click();

      await expect.poll(() => page.locator('h1').textContent()).toBe(w.dashboard);
      expect(await page.getByRole('heading', { name: w.widget }).count()).toBe(1);
      await expectAccessible(page);

      // The header's account menu, named by the person (their address until they register), as in the guide.
      const menu = page.locator('summary', { hasText: email });
      await menu.click();
      expect(await menu.textContent()).toContain(w.userMenu);
      await page.getByRole('link', { name: w.settings }).click();
      await expect.poll(() => page.locator('h1').textContent()).toBe(w.settings);
      await expectAccessible(page);

      await page.locator('summary', { hasText: email }).click();
      await page.getByRole('button', { name: w.signOut }).click();
      await expect.poll(() => page.locator('h1').textContent()).toBe(w.signInTitle);
      expect(await page.getByRole('status').textContent()).toContain(w.signedOut);
      await context.close();
    });
  }

  it('signs in with the keyboard alone, and the language toggle keeps the page', async () => {
    const page = await harness.browser.newPage();
    // Make an active account through the real pages first.
    const email = uniqueEmail('keyboard');
    await page.goto(`${harness.origin}/en/create-account`);
    await page.getByLabel('Email address', { exact: true }).fill(email);
    await page.getByLabel('Confirm email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(GOOD_PASSWORD);
    await page.getByLabel('Confirm password').fill(GOOD_PASSWORD);
    await page.getByLabel('I have read and accept the terms of use.').check();
    await page.getByRole('button', { name: 'Create account' }).click();
    const link = new URL((await waitForEmail(email)).links.find((l) => l.includes('token='))!);
    await page.goto(harness.origin + link.pathname + link.search);
    await page.getByLabel('Password', { exact: true }).fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: 'Activate my account' }).click();
    await page.locator('summary', { hasText: email }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.goto(`${harness.origin}/fr/connexion`);
    await page.getByRole('link', { name: 'English' }).click();
    expect(new URL(page.url()).pathname).toBe('/en/sign-in');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    await tabTo(page, 'email');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(GOOD_PASSWORD);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Dashboard');
    await page.close();
  });

  it('works without JavaScript: the sign-up form is refused and shown again with its messages', async () => {
    const context = await harness.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${harness.origin}/fr/creer-un-compte`);
    await page.getByLabel('Adresse courriel', { exact: true }).fill('pas-une-adresse');
    await page.getByRole('button', { name: 'Créer un compte' }).click();
    await expect
      .poll(() => page.locator('.error-summary h2').textContent())
      .toBe('Veuillez corriger les erreurs suivantes');
    expect(await page.getByLabel('Adresse courriel', { exact: true }).inputValue()).toBe('pas-une-adresse');
    await context.close();
  });
});

/** Presses Tab until the field with this id has focus (at most 30 times), as a keyboard user would. */
async function tabTo(page: Page, id: string): Promise<void> {
  for (let i = 0; i < 30; i += 1) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate('document.activeElement?.id')) === id) return;
  }
  throw new Error(`could not reach #${id} with the Tab key`);
}
