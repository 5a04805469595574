import type { Db } from '../../db/knex';
import type { Mover } from '../applications/lifecycle';
import * as q from './queries';
import type { TemplateInput } from './schemas';

/**
 * A company's templates (J11). The routes' guard has checked the permission (Gérer les modèles to write;
 * it or Faire une demande to read); here, every query is bound to the company of the address.
 */
export function templatesService({ db }: { db: Db }) {
  const author = (by: Mover) => ({ userId: by.userId!, name: by.name! });
  return {
    list: (companyId: number) => q.templatesOf(db, companyId),
    find: (companyId: number, id: number) => q.templateOf(db, companyId, id),

    async create(by: Mover, companyId: number, input: TemplateInput): Promise<'saved' | 'nameTaken'> {
      return (await q.insertTemplate(db, companyId, input, author(by))) ? 'saved' : 'nameTaken';
    },

    update: (by: Mover, companyId: number, id: number, input: TemplateInput) =>
      q.updateTemplate(db, companyId, id, input, author(by)),

    remove: (companyId: number, id: number) => q.deleteTemplate(db, companyId, id),

    /** "Commencer à partir d'un modèle": the templates this person may start from, with their company. */
    forSubmission: (userId: number) => q.templatesForSubmission(db, userId),
  };
}

export type TemplatesService = ReturnType<typeof templatesService>;
