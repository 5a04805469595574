import type { Knex } from 'knex';
import type { DataContext } from '../src/db/context';
import { createPinVault } from '../src/crypto/pin-vault';
import { ALL_PERMISSIONS } from '../src/domain/company-permissions';

/** The guide's demo PIN for LMS Architects, and the contractor PIN the city mailed to Madiee Renovations. */
export const LMS_PIN = 'M7D-C4K-TA9';
export const DEMO_CONTRACTOR_PIN = 'K3M-7QT-4WX';

const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000);

/**
 * LMS Architects, managed by Vivian Trainer (seed 000 of the guide); and an earlier contractor record of
 * the city, Madiee Renovations, with two earlier applications, waiting to be claimed with its PIN.
 */
export async function seed(knex: Knex, context: DataContext): Promise<void> {
  if (await knex('companies').first()) return;
  const vivian = await knex('users').where({ email: 'vivian.trainer@example.com' }).first();
  if (!vivian) return;
  const pins = createPinVault(context.sessionSecret);
  await knex.transaction(async (tx) => {
    const [lms] = await tx('companies')
      .insert({
        legal_name: 'LMS Architects',
        phone: '6135802400',
        email: 'info@lms-architects.example',
        city: 'Ottawa',
        province: 'ON',
        country: 'Canada',
        pin_hash: pins.hash(LMS_PIN),
        pin_sealed: pins.seal(LMS_PIN),
        created_by: vivian.id,
      })
      .returning('id');
    await tx('company_members').insert({ company_id: lms.id, user_id: vivian.id, ...ALL_PERMISSIONS });
    await tx('company_events').insert({
      company_id: lms.id,
      actor_user_id: vivian.id,
      actor_name: 'Vivian Trainer',
      event: 'created',
    });

    const [madiee] = await tx('companies')
      .insert({
        legal_name: 'Madiee Renovations',
        phone: '6135550142',
        city: 'Ottawa',
        province: 'ON',
        country: 'Canada',
        pin_hash: pins.hash('N4P-6RV-9HC'),
        pin_sealed: pins.seal('N4P-6RV-9HC'),
        city_pin_hash: pins.hash(DEMO_CONTRACTOR_PIN),
      })
      .returning('id');
    const earlier = [
      {
        number: 'CON-2024-000388',
        permit_type: 'interior_alteration',
        status: 'in_review',
        street_number: '300',
        street_name: 'RIDEAU ST',
        days: 12,
      },
      {
        number: 'CON-2023-000254',
        permit_type: 'demolition',
        status: 'closed',
        street_number: '75',
        street_name: 'ALBERT ST',
        days: 300,
      },
    ];
    for (const a of earlier) {
      await tx('applications').insert({
        number: a.number,
        permit_type: a.permit_type,
        status: a.status,
        street_number: a.street_number,
        street_name: a.street_name,
        city: 'Ottawa',
        description:
          a.permit_type === 'demolition'
            ? 'Démolition d’un garage'
            : 'Rénovation intérieure du rez-de-chaussée',
        company_id: madiee.id,
        applicant_name: 'Madiee Renovations',
        submitted_at: daysAgo(a.days),
        last_activity_at: daysAgo(a.days),
        created_at: daysAgo(a.days),
      });
    }
    await tx.raw(
      `INSERT INTO application_counters (year, last_value) VALUES (2024, 388), (2023, 254)
       ON CONFLICT (year) DO UPDATE SET last_value = GREATEST(application_counters.last_value, EXCLUDED.last_value)`,
    );
  });
}
