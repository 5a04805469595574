import type { Knex } from 'knex';
import type { SeedContext } from '../src/db/context';

/** LMS Architects' templates (J11), so Vivian (its manager) can start an application from one. */
export async function seed(knex: Knex, _context: SeedContext): Promise<void> {
  const company = await knex('companies').where({ legal_name: 'LMS Architects' }).first('id');
  if (!company || (await knex('application_templates').where({ company_id: company.id }).first())) return;
  await knex('application_templates').insert([
    {
      company_id: company.id,
      name: 'Terrasse standard, cour arrière',
      permit_type: 'deck',
      description:
        'Terrasse en bois traité d’environ 3,6 m sur 4,8 m dans la cour arrière, à moins de 60 cm du sol, sans toit.',
      notes:
        'Joindre le plan d’implantation coté et le détail des semelles. Vérifier la distance au terrain voisin.',
      updated_by_name: 'Vivian Trainer',
    },
    {
      company_id: company.id,
      name: 'Agrandissement arrière, un étage',
      permit_type: 'addition',
      description: 'Agrandissement d’un étage à l’arrière de la maison, sur fondation de béton coulé.',
      notes: '',
      updated_by_name: 'Vivian Trainer',
    },
  ]);
}
