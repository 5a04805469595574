import type { Knex } from 'knex';
import { createPinVault } from '../src/crypto/pin-vault';
import type { SeedContext } from '../src/db/context';
import type { Tx } from '../src/db/knex';
import { createI18n } from '../src/i18n/i18n';
import { buildPermits } from '../src/services';
import { createClientRecord } from '../src/features/earlier-records/client-records';

/** The PIN of the demo client record nobody has linked yet (documented in the README). */
export const DEMO_CLIENT_PIN = 'TRN-4KD-7QW';

const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000);

/**
 * Vivian Trainer registered for Building Code Services, linked to True Builders Inc's earlier record,
 * which holds the guide's CON-2024-000409 at 110 LAURIER AVE OUEST/WEST (payment due); and an earlier
 * client record left for a newcomer to link with its PIN.
 */
export async function seed(knex: Knex, context: SeedContext): Promise<void> {
  const pins = createPinVault(context.sessionSecret);
  if (await knex('client_records').first()) return;
  const vivian = await knex('users').where({ email: 'vivian.trainer@example.com' }).first();
  if (!vivian) return;
  await knex('profiles')
    .insert({
      user_id: vivian.id,
      first_name: 'Vivian',
      last_name: 'Trainer',
      city: 'Ottawa',
      province: 'ON',
      postal_code: 'K1P 1J1',
      country: 'Canada',
      address1: '110 Laurier Ave West',
      phone: '6135802400',
      consent_at: knex.fn.now(),
    })
    .onConflict('user_id')
    .ignore();
  await createClientRecord(knex, pins, {
    name: 'True Builders Inc',
    pin: 'Q9K-7MD-3WT',
    linkedUserId: vivian.id,
    applications: [
      {
        number: 'CON-2024-000409',
        permitType: 'house',
        status: 'payment_due',
        streetNumber: '110',
        streetName: 'LAURIER AVE OUEST/WEST',
        postalCode: 'K1P 1J1',
        description: 'Maison',
        lastActivityAt: daysAgo(20),
      },
      {
        number: 'CON-2024-000212',
        permitType: 'deck',
        status: 'in_review',
        streetNumber: '42',
        streetName: 'ELGIN ST',
        postalCode: 'K1P 5K8',
        description: 'Terrasse arrière de 4 m sur 5 m',
        lastActivityAt: daysAgo(45),
      },
      // The rest of the lifecycle (J8), so a newcomer sees every status an application can reach.
      {
        number: 'CON-2024-000455',
        permitType: 'house',
        status: 'information_required',
        streetNumber: '55',
        streetName: 'METCALFE ST',
        postalCode: 'K1P 6L5',
        description: 'Maison jumelée',
        lastActivityAt: daysAgo(6),
      },
      {
        number: 'CON-2024-000301',
        permitType: 'interior_alteration',
        status: 'refused',
        streetNumber: '8',
        streetName: 'RIDEAU ST',
        postalCode: 'K1N 9J6',
        description: 'Retrait d’un mur porteur',
        lastActivityAt: daysAgo(90),
      },
      {
        number: 'CON-2024-000150',
        permitType: 'accessory_building',
        status: 'withdrawn',
        streetNumber: '17',
        streetName: 'BANK ST',
        postalCode: 'K2P 1X3',
        description: 'Remise de jardin',
        lastActivityAt: daysAgo(200),
      },
      {
        number: 'CON-2022-000087',
        permitType: 'deck',
        status: 'closed',
        streetNumber: '17',
        streetName: 'BANK ST',
        postalCode: 'K2P 1X3',
        description: 'Terrasse avant',
        lastActivityAt: daysAgo(800),
      },
      {
        number: 'CON-2023-000118',
        permitType: 'addition',
        status: 'issued',
        streetNumber: '17',
        streetName: 'BANK ST',
        postalCode: 'K2P 1X3',
        description: 'Agrandissement à l’arrière',
        lastActivityAt: daysAgo(400),
      },
    ],
  });
  await createClientRecord(knex, pins, {
    name: 'Jannee Training',
    pin: DEMO_CLIENT_PIN,
    applications: [
      {
        number: 'CON-2024-000377',
        permitType: 'pool_enclosure',
        status: 'submitted',
        streetNumber: '250',
        streetName: 'SOMERSET ST W',
        postalCode: 'K2P 0J6',
        description: 'Enceinte de piscine',
        lastActivityAt: daysAgo(30),
      },
    ],
  });
  await reviewWork(knex, context);
}

/**
 * What the review left on the demo's applications: the questions staff asked on CON-2024-000455 (Vivian
 * sees them under Actions requises, with "Répondre"), a message, and the permit of CON-2023-000118.
 */
async function reviewWork(knex: Knex, context: SeedContext): Promise<void> {
  const waiting = await knex('applications').where({ number: 'CON-2024-000455' }).first();
  await knex('deficiencies').insert(
    [
      'Le plan d’implantation doit indiquer la distance entre la maison et chaque limite du terrain.',
      'Joignez le rapport d’étude géotechnique mentionné dans la description des fondations.',
    ].map((text) => ({ application_id: waiting.id, text, requested_at: daysAgo(6) })),
  );
  await knex('application_messages').insert({
    application_id: waiting.id,
    author_name: 'Services du Code du bâtiment',
    side: 'staff',
    body: 'Bonjour, il nous manque deux renseignements pour poursuivre l’examen. Merci de répondre à chacun.',
    created_at: daysAgo(6),
  });
  const issued = await knex('applications').where({ number: 'CON-2023-000118' }).first();
  const permits = buildPermits(knex, createI18n(), context.baseUrl);
  await knex.transaction((tx) =>
    permits.make(tx as Tx, issued, { userId: null, name: 'Services du Code du bâtiment' }, '', daysAgo(400)),
  );
}
