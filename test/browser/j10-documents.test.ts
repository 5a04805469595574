import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submittedApplication } from '../support/applications';
import { visitor } from '../support/browser-like';
import { documentsPage, infectedPdf, pdfBytes } from '../support/documents';
import {
  browserAvailable,
  browserHarness,
  expectAccessible,
  expectAccessibleWithoutScript,
  expectFlash,
  JOURNEY,
} from './browser';
import { press, signIn, tabTo } from './keyboard';

const words = {
  fr: {
    signIn: '/fr/connexion',
    application: '/fr/services-code-batiment/demandes',
    open: 'Documents de la demande',
    upload: 'Téléverser',
    clean: 'Analysé, sans virus',
    infected: 'Infecté, en quarantaine',
  },
  en: {
    signIn: '/en/sign-in',
    application: '/en/building-code-services/applications',
    open: 'The application’s documents',
    upload: 'Upload',
    clean: 'Scanned, no virus',
    infected: 'Infected, quarantined',
  },
} as const;

const run = browserAvailable();

/** Tab to the file field, press Space as a keyboard user does, and pick the files in the chooser. */
async function chooseFiles(page: Page, paths: string[]): Promise<void> {
  await tabTo(page, { id: 'files' });
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
  await chooser.setFiles(paths);
}

/** Reloads the documents page until the document's state reads `state` (the scan runs in the worker). */
async function untilShown(page: Page, text: string): Promise<void> {
  await expect
    .poll(
      async () => {
        await page.reload();
        return (await page.locator('main').textContent())?.replace(/\s+/g, ' ') ?? '';
      },
      // One clamd serves every test file: a scan may wait behind another file's 50 MB upload.
      { timeout: 45_000, interval: 300 },
    )
    .toContain(text);
}

describe.runIf(run)(
  'J10 documents in a real browser, keyboard only: uploaded, scanned, downloaded; a virus quarantined',
  { timeout: JOURNEY.timeout * 3 },
  () => {
    const portal = testPortal({ rateLimitScale: 10 });
    const harness = browserHarness(portal.app);
    const folder = mkdtempSync(join(tmpdir(), 'portal-journey-files-'));
    const contexts: BrowserContext[] = [];
    afterAll(async () => {
      await Promise.all(contexts.map((c) => c.close()));
      await portal.close();
      rmSync(folder, { recursive: true, force: true });
    });
    const newPage = async (javaScriptEnabled: boolean) => {
      const context = await harness.browser.newContext({ javaScriptEnabled, acceptDownloads: true });
      contexts.push(context);
      const page = await context.newPage();
      // Playwright asks the browser to intercept file choosers only once something listens, without
      // waiting for it: a chooser opened by the Space press right after waitForEvent could beat it (seen
      // in CI: no 'filechooser' event). Listening from the start keeps the interception on throughout.
      page.on('filechooser', () => undefined);
      return page;
    };

    for (const lang of ['fr', 'en'] as const) {
      const w = words[lang];
      it(`${lang}, without JavaScript: upload a plan, see it scanned, download it; a virus is quarantined`, async () => {
        const person = visitor(portal.app);
        const { email, password } = await registeredUser(person, { lang });
        const number = await submittedApplication(person, lang);
        const plan = pdfBytes(`journey ${lang}`);
        writeFileSync(join(folder, `plan-${lang}.pdf`), plan);
        writeFileSync(join(folder, `devis-${lang}.pdf`), infectedPdf());

        const page = await newPage(false);
        await signIn(page, harness.origin + w.signIn, email, password);
        await page.goto(`${harness.origin}${w.application}/${number}`);
        await press(page, w.open);
        await expectAccessibleWithoutScript(page);
        await chooseFiles(page, [join(folder, `plan-${lang}.pdf`), join(folder, `devis-${lang}.pdf`)]);
        await press(page, w.upload);
        await expectFlash(page);
        await expectAccessibleWithoutScript(page);

        await untilShown(page, `plan-${lang}.pdf`);
        await untilShown(page, w.clean);
        await untilShown(page, w.infected);
        await expectAccessibleWithoutScript(page);
        // The clean one downloads, the same bytes; the infected one has no link at all.
        await tabTo(page, { text: `plan-${lang}.pdf` });
        const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
        expect(Buffer.compare(readFileSync((await download.path())!), plan)).toBe(0);
        expect(await page.locator(`a:has-text("devis-${lang}.pdf")`).count()).toBe(0);
      });
    }

    it('fr, with JavaScript: the upload shows its progress, then the page it leads to; a wrong file its message', async () => {
      const person = visitor(portal.app);
      const { email, password } = await registeredUser(person);
      const number = await submittedApplication(person);
      writeFileSync(join(folder, 'photo.pdf'), Buffer.from('not a PDF at all'));
      writeFileSync(join(folder, 'plan-js.pdf'), pdfBytes('with script'));

      const page = await newPage(true);
      await signIn(page, harness.origin + words.fr.signIn, email, password);
      await page.goto(harness.origin + documentsPage(number));
      await chooseFiles(page, [join(folder, 'photo.pdf')]);
      await tabTo(page, { text: words.fr.upload });
      await page.keyboard.press('Enter');
      // The form comes back in place with its message, focused on the summary.
      await expect
        .poll(() => page.evaluate('document.activeElement && document.activeElement.className'))
        .toBe('error-summary');
      expect(await page.locator('.error-summary').textContent()).toContain('«\u00a0photo.pdf\u00a0»');
      await expectAccessible(page);

      await chooseFiles(page, [join(folder, 'plan-js.pdf')]);
      await tabTo(page, { text: words.fr.upload });
      await page.keyboard.press('Enter');
      // The confirmation replaces the form in place, and takes the focus.
      await expectFlash(page);
      await expect.poll(() => page.evaluate('document.activeElement.getAttribute("role")')).toBe('status');
      expect(await page.locator('main').textContent()).toContain('plan-js.pdf');
      await expectAccessible(page);
    });
  },
);
