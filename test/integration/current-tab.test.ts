import { afterAll, describe, expect, it } from 'vitest';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submitForm, visitor } from '../support/browser-like';
import { createdCompany } from '../support/companies';

const portal = testPortal();
afterAll(() => portal.close());

/** The links marked as the current page, by their text. */
const current = (html: string) =>
  [...html.matchAll(/<a [^>]*aria-current="page"[^>]*>([^<]+)/g)].map((m) => m[1]!.trim());

describe('the current tab', () => {
  it('is marked aria-current="page" (never an escaped value) on the service bar and every tab', async () => {
    const agent = visitor(portal.app);
    await registeredUser(agent);
    const company = await createdCompany(agent, 'Onglets Courants');
    const base = '/fr/services-code-batiment';
    for (const [path, expected] of [
      [base, ['Accueil', 'Actions requises']],
      [`${base}/demandes`, ['Accueil', 'Demandes']],
      [`${base}/professionnels-entrepreneurs`, ['Accueil', 'Professionnels/Entrepreneurs']],
      [`${base}/mon-profil`, ['Mon profil']],
      [`${base}/entreprises/${company.id}`, ['Détails']],
      [`${base}/entreprises/${company.id}/comptes-associes`, ['Comptes associés']],
      [`${base}/entreprises/${company.id}/droits-et-paiements`, ['Droits et paiements']],
      ['/fr/frais-impayes', ['Frais impayés']],
    ] as const) {
      const html = (await agent.get(path)).text;
      expect(html, path).not.toContain('aria-current=&quot;');
      expect(current(html), path).toEqual(expected);
    }
  });

  it('sits under "Tableau de bord" / "Dashboard", where the guide sends people to find the tabs', async () => {
    const agent = visitor(portal.app);
    await registeredUser(agent);
    for (const [path, heading] of [
      ['/fr/services-code-batiment/professionnels-entrepreneurs', 'Tableau de bord'],
      ['/en/building-code-services/professionals-contractors', 'Dashboard'],
    ] as const) {
      const html = (await agent.get(path)).text;
      // The heading names the tab bar, and comes right before it.
      expect(html, path).toMatch(
        new RegExp(
          `<h2 [^>]*id="dashboard-title">${heading}</h2>\\s*<nav class="tabs" aria-labelledby="dashboard-title">`,
        ),
      );
    }
  });

  it('puts a confirmation under the service bar, where the page it confirms begins', async () => {
    const agent = visitor(portal.app);
    await registeredUser(agent);
    const company = await createdCompany(agent, 'Message Sous La Barre');
    // Saving its details leaves a confirmation for the next page, a Building Code Services one.
    const path = `/fr/services-code-batiment/entreprises/${company.id}`;
    const saved = await submitForm(agent, path, path, {
      legalName: 'Message Sous La Barre',
      phone: '6135802400',
    });
    expect(saved.status).toBe(303);
    const html = (await agent.get(saved.headers.location!)).text;
    const bar = html.indexOf('<nav class="service-nav"');
    const notice = html.indexOf('notice--success');
    expect(bar).toBeGreaterThan(0);
    expect(notice).toBeGreaterThan(bar);
  });
});
