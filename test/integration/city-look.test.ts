import { afterAll, describe, expect, it } from 'vitest';
import { signedUpUser, registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { textOf, visitor } from '../support/browser-like';
import { createI18n } from '../../src/i18n/i18n';
import { renderEmail } from '../../src/mail/render';

const portal = testPortal();
const gatineau = testPortal({
  env: {
    CITY_NAME_FR: 'Ville de Gatineau',
    CITY_NAME_EN: 'City of Gatineau',
    ACCOUNT_SERVICE_NAME_FR: 'Mon Gatineau',
    ACCOUNT_SERVICE_NAME_EN: 'My Gatineau',
    SUPPORT_EMAIL: 'permis@gatineau.example',
  },
});
afterAll(() => Promise.all([portal.close(), gatineau.close()]));

const INFO_PAGES = {
  fr: [
    '/fr/aide',
    '/fr/nous-joindre',
    '/fr/confidentialite',
    '/fr/conditions-d-utilisation',
    '/fr/accessibilite',
  ],
  en: ['/en/help', '/en/contact-us', '/en/privacy', '/en/terms-of-use', '/en/accessibility'],
};

describe("the City's look", () => {
  it('has Aide/Help in the header and contact, privacy, terms and accessibility in the footer, open to all', async () => {
    const stranger = visitor(portal.app);
    for (const [lang, pages] of Object.entries(INFO_PAGES)) {
      for (const path of pages) {
        const res = await stranger.get(path);
        expect(res.status, path).toBe(200);
        // Every page links to every one of them (the footer), and the header has the help page.
        for (const other of pages) expect(res.text, `${path} → ${other}`).toContain(`href="${other}"`);
        expect(res.text).toMatch(new RegExp(`<header[\\s\\S]*href="${pages[0]}"[\\s\\S]*</header>`));
      }
      const wordmark = (await stranger.get(pages[0]!)).text;
      expect(textOf(wordmark)).toContain(
        lang === 'fr' ? 'Ville d’Ottawa Mon ServiceOttawa' : 'City of Ottawa MyServiceOttawa',
      );
    }
  });

  it('walks the guide on the help page, with the words people hold in the guide', async () => {
    const text = textOf((await visitor(portal.app).get('/fr/aide')).text).replace(/\s+/g, ' ');
    for (const words of [
      'Créer un compte Mon ServiceOttawa',
      '« Code NIP du client »',
      '« Lier avec un code NIP »',
      '« Associer » (le bouton « Associé » du guide)',
      '« Nouvelle inscription » dans le guide',
      'Enregistrer comme brouillon',
      "Demande d'inspection",
    ])
      expect(text).toContain(words);
    const html = (await visitor(portal.app).get('/fr/aide')).text;
    expect(html).toContain('<a href="mailto:SGT_Soutien@ottawa.ca">SGT_Soutien@ottawa.ca</a>');
  });

  it("names the signed-in person in the header's account menu, which holds Mes paramètres and Déconnexion", async () => {
    const agent = visitor(portal.app);
    const { email } = await signedUpUser(agent);
    const before = (await agent.get('/fr/tableau-de-bord')).text;
    expect(textOf(before.slice(before.indexOf('<details'), before.indexOf('</details>')))).toBe(
      `Menu du compte : ${email} Mes paramètres Déconnexion`,
    );
    await registeredUser(visitor(portal.app));
    const registered = visitor(portal.app);
    await registeredUser(registered, { firstName: 'Alex', lastName: 'Tremblay' });
    const after = (await registered.get('/fr/services-code-batiment')).text;
    expect(
      textOf(after.slice(after.indexOf('<details'), after.indexOf('<ul', after.indexOf('<details')))),
    ).toBe('Menu du compte : Alex Tremblay');
  });

  it("gives the guide's button words to screen readers and voice control: Associé, Nouvelle inscription", async () => {
    const agent = visitor(portal.app);
    await registeredUser(agent);
    const html = (await agent.get('/fr/services-code-batiment/professionnels-entrepreneurs')).text;
    const form = html.slice(
      html.indexOf('<form method="post" action="/fr/services-code-batiment/professionnels'),
    );
    expect(form).toMatch(
      /<button type="submit" class="button">\s*Associer<span class="visually-hidden"> \(Associé\)<\/span>/,
    );
    expect(html).toMatch(
      />\s*Enregistrer un nouveau<span class="visually-hidden"> \(Nouvelle inscription\)<\/span>/,
    );
    expect(html).toContain('(<a href="mailto:SGT_Soutien@ottawa.ca">SGT_Soutien@ottawa.ca</a>)');
    // English has one word for each: nothing hidden is added.
    const en = (await agent.get('/en/building-code-services/professionals-contractors')).text;
    expect(en).not.toContain('visually-hidden"> (Associate)');
  });

  it("shows the guide's whole information-collection notice and the account service's consent sentence", async () => {
    const agent = visitor(portal.app);
    await signedUpUser(agent);
    const text = textOf((await agent.get('/fr/services-code-batiment/inscription')).text);
    expect(text).toContain(
      'Au moment de créer votre compte Mon ServiceOttawa, il se peut que vous ayez choisi de consigner vos coordonnées sur votre profil.',
    );
    expect(text).toContain('(no 2014-220) de la Ville d’Ottawa, dans sa version modifiée');
    expect(text).toContain(
      '101, promenade Centrepointe, Nepean (Ontario) K2G 5K7, 613-580-2424, poste 25852',
    );
  });

  it("takes the city's names and support address from the configuration, in pages and in emails", async () => {
    const agent = visitor(gatineau.app);
    const fr = textOf((await agent.get('/fr/aide')).text);
    expect(fr).toContain('Ville de Gatineau Mon Gatineau');
    expect(fr).toContain('Créer un compte Mon Gatineau');
    expect(fr).toContain('Écrivez-nous à permis@gatineau.example');
    expect(fr).toContain('Ville de Gatineau – Services du Code du bâtiment');
    expect(fr).not.toMatch(/Ottawa|SGT_Soutien/);
    expect(textOf((await agent.get('/en/privacy')).text)).toContain("the City of Gatineau's database");

    const i18n = createI18n(undefined, gatineau.runtime.config.municipality);
    const email = await renderEmail(
      i18n,
      { template: 'activation', lang: 'fr', to: 'a@example.test', params: {} } as never,
      { link: 'http://portal.test/fr/activer-mon-compte?token=x' },
    );
    expect(email.text).toContain('Services du Code du bâtiment – Ville de Gatineau');
    expect(email.text).toContain('écrivez à permis@gatineau.example');
    expect(email.html).toContain('<div style="font-size: 20px; font-weight: bold;">Mon Gatineau</div>');
    expect(email.html).toContain('name="viewport"');
  });
});
