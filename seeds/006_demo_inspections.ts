import type { Knex } from 'knex';
import type { SeedContext } from '../src/db/context';
import type { Tx } from '../src/db/knex';
import { addBusinessDays, cityDay } from '../src/domain/business-days';
import { earliestInspectionDay } from '../src/domain/inspections';
import { refreshToBook } from '../src/features/inspections/queries';

const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000);

/**
 * The inspections of the demo's permit (CON-2023-000118, an addition): the footings passed; the
 * foundation failed, so Vivian sees "Réserver de nouveau une inspection échouée" under Actions requises;
 * the framing asked for, so staff's "Inspections" page has a request to schedule.
 */
export async function seed(knex: Knex, _context: SeedContext): Promise<void> {
  const permit = await knex('applications').where({ number: 'CON-2023-000118' }).first('id');
  if (!permit || (await knex('inspections').where({ application_id: permit.id }).first())) return;
  const vivian = await knex('users').where({ email: 'vivian.trainer@example.com' }).first('id');
  const asked = (days: number) => ({
    application_id: permit.id,
    contact_phone: '6135802400',
    requested_by: vivian?.id ?? null,
    requested_by_name: 'Vivian Trainer',
    requested_at: daysAgo(days),
    preferred_on: cityDay(daysAgo(days - 3)),
  });
  await knex('inspections').insert([
    {
      ...asked(380),
      stage: 'footings',
      status: 'passed',
      scheduled_on: cityDay(daysAgo(377)),
      time_window: 'morning',
      inspector_name: 'J. Roy',
      result_notes: '',
      decided_by_name: 'J. Roy',
      decided_at: daysAgo(377),
    },
    {
      ...asked(360),
      stage: 'foundation',
      status: 'failed',
      scheduled_on: cityDay(daysAgo(357)),
      time_window: 'afternoon',
      inspector_name: 'J. Roy',
      result_notes: 'La membrane d’étanchéité n’est pas posée sur le mur est. Posez-la avant le remblai.',
      decided_by_name: 'J. Roy',
      decided_at: daysAgo(357),
    },
    {
      ...asked(1),
      stage: 'framing',
      preferred_on: addBusinessDays(earliestInspectionDay(new Date()), 1),
      notes: 'Accès par la ruelle, côté nord.',
    },
  ]);
  await knex.transaction((tx) => refreshToBook(tx as Tx, permit.id));
}
