import { expect } from 'vitest';
import { waitForEmail } from './mailbox';
import { submitForm, uniqueEmail, type Visitor } from './browser-like';

export const GOOD_PASSWORD = 'maple syrup on snowy tuesdays';

/** The activation link of the newest activation email sent to this address, as a local path. */
export async function activationLink(email: string): Promise<string> {
  const mail = await waitForEmail(email, /Activ/);
  const link = mail.links.find((l) => /activ/.test(l));
  expect(link).toBeDefined();
  return new URL(link!).pathname + new URL(link!).search;
}

/** Signs up, activates through the emailed link, and leaves the visitor signed in. */
export async function signedUpUser(
  agent: Visitor,
  options: { lang?: 'fr' | 'en'; email?: string; password?: string } = {},
): Promise<{ email: string; password: string }> {
  const lang = options.lang ?? 'fr';
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? GOOD_PASSWORD;
  const signUpPath = lang === 'fr' ? '/fr/creer-un-compte' : '/en/create-account';
  const created = await submitForm(agent, signUpPath, signUpPath, {
    email,
    emailConfirm: email,
    password,
    passwordConfirm: password,
    terms: 'on',
  });
  expect(created.status).toBe(303);
  const link = await activationLink(email);
  const activated = await submitForm(agent, link, link.split('?')[0]!, {
    token: link.split('token=')[1]!,
    password,
  });
  expect(activated.status).toBe(303);
  return { email, password };
}

export const PROFILE = {
  firstName: 'Vivian',
  lastName: 'Trainer',
  language: 'fr',
  phone: '613-580-2400',
  consent: 'on',
};

/** An account that has signed up, activated and registered for Building Code Services (signed in). */
export async function registeredUser(
  agent: Visitor,
  options: { lang?: 'fr' | 'en'; firstName?: string; lastName?: string } = {},
): Promise<{ email: string; password: string }> {
  const user = await signedUpUser(agent, { lang: options.lang });
  const path =
    options.lang === 'en'
      ? '/en/building-code-services/registration'
      : '/fr/services-code-batiment/inscription';
  const res = await submitForm(agent, path, path, {
    ...PROFILE,
    firstName: options.firstName ?? PROFILE.firstName,
    lastName: options.lastName ?? PROFILE.lastName,
    language: options.lang ?? 'fr',
  });
  expect(res.status).toBe(303);
  return user;
}
