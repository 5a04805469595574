import type { Knex } from 'knex';
import type { SeedContext } from '../src/db/context';

/**
 * Example rates for the fee table (the city replaces them: README), in force since 2024, and the fee
 * staff assessed on the guide's CON-2024-000409 (Paiement exigible), so a newcomer sees a fee to pay.
 */
const RATES: Record<string, { rate: number; flat: number; minimum: number }> = {
  house: { rate: 1_650, flat: 25_000, minimum: 50_000 },
  addition: { rate: 1_650, flat: 15_000, minimum: 30_000 },
  accessory_building: { rate: 850, flat: 5_000, minimum: 12_500 },
  deck: { rate: 550, flat: 5_000, minimum: 12_500 },
  interior_alteration: { rate: 700, flat: 10_000, minimum: 20_000 },
  pool_enclosure: { rate: 0, flat: 17_500, minimum: 17_500 },
  demolition: { rate: 0, flat: 30_000, minimum: 30_000 },
};

export async function seed(knex: Knex, _context: SeedContext): Promise<void> {
  if (await knex('fee_schedules').first()) return;
  const lines = await knex('fee_schedules')
    .insert(
      Object.entries(RATES).map(([type, r]) => ({
        permit_type: type,
        rate_cents_per_m2: r.rate,
        flat_cents: r.flat,
        minimum_cents: r.minimum,
        effective_from: '2024-01-01',
        reason: 'Taux d’exemple (à remplacer par le barème de la Ville)',
        created_by_name: 'Services du Code du bâtiment',
      })),
    )
    .returning(['id', 'permit_type']);
  const application = await knex('applications').where({ number: 'CON-2024-000409' }).first();
  if (!application) return;
  await knex('applications').where({ id: application.id }).update({ floor_area_m2: '180.00' });
  await knex('fees').insert({
    application_id: application.id,
    // 250,00 $ + 180 m² × 16,50 $/m²
    amount_cents: 25_000 + 180 * 1_650,
    suggested_cents: 25_000 + 180 * 1_650,
    schedule_id: lines.find((l) => l.permit_type === 'house')!.id,
    assessed_at: new Date(Date.now() - 20 * 86_400_000),
  });
}
