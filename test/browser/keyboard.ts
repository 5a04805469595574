import type { Page } from 'playwright-core';
import { generate } from 'otplib';

// A keyboard user's hands: Tab to a control, type, Enter. The journeys that must work with the keyboard
// alone (and without JavaScript) use these, never a mouse click.

/**
 * Presses Tab until the element with this id, or whose text starts with these words, has focus (as a
 * keyboard user would), at most 120 times.
 */
export async function tabTo(page: Page, target: { id?: string; text?: string }): Promise<void> {
  await page.locator('body').focus();
  for (let i = 0; i < 120; i += 1) {
    await page.keyboard.press('Tab');
    // A string, run in the page (the tests are compiled without the browser's types).
    const reached = await page.evaluate(`(() => {
      const t = ${JSON.stringify(target)};
      const el = document.activeElement;
      if (!el) return false;
      if (t.id) return el.id === t.id;
      return (el.textContent || '').replace(/\\s+/g, ' ').trim().startsWith(t.text);
    })()`);
    if (reached) return;
  }
  throw new Error(`could not reach ${JSON.stringify(target)} with the Tab key on ${page.url()}`);
}

/** Presses Enter and waits for the page it leads to (without JavaScript, every form is a navigation). */
export async function enter(page: Page): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

/** Tabs to a link or button by its words and presses Enter. */
export async function press(page: Page, text: string): Promise<void> {
  await tabTo(page, { text });
  await enter(page);
}

export async function typeInto(page: Page, id: string, text: string): Promise<void> {
  await tabTo(page, { id });
  await page.keyboard.type(text);
}

/** The sign-in form, typed: the address, Tab, the password, Enter. */
export async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await typeInto(page, 'email', email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await enter(page);
}

/** The staff sign-in typed, then the second factor enrolled with a code from the secret the page shows. */
export async function staffSignsIn(
  page: Page,
  origin: string,
  lang: 'fr' | 'en',
  email: string,
  password: string,
): Promise<void> {
  await signIn(page, origin + (lang === 'fr' ? '/fr/admin/connexion' : '/en/admin/sign-in'), email, password);
  const secret = (await page.locator('.secret').textContent())!.trim();
  await typeInto(page, 'code', await generate({ secret }));
  await press(page, lang === 'fr' ? 'Vérifier le code' : 'Check the code');
}
