import { Router, type Request, type Response } from 'express';
import { PERMIT_TYPES } from '../../domain/permit-types';
import { NotFoundError } from '../../errors';
import { flash } from '../../web/flash';
import { renderInvalid, validate } from '../../web/forms';
import { page } from '../../web/page';
import { pathFor } from '../../web/paths';
import { personActing } from '../accounts/acting';
import { companyAccess } from '../companies/guard';
import type { CompaniesService } from '../companies/service';
import { requireRegistration } from '../registration/guard';
import type { RegistrationService } from '../registration/service';
import { TEMPLATE_FIELD_ORDER, templateForm, templateParam, type TemplateInput } from './schemas';
import type { TemplatesService } from './service';

const LIST = 'templates/list';
const FORM = 'templates/form';

/**
 * "Modèles" / "Templates" (J11), a company's tab: read by its members with Gérer les modèles or Faire une
 * demande (who start applications from them); created, changed and deleted with Gérer les modèles.
 */
export function templatesRoutes(
  templates: TemplatesService,
  companies: CompaniesService,
  registration: RegistrationService,
): Router {
  const router = Router();
  const registered = requireRegistration(registration);
  const reader = companyAccess(companies, ['templates', 'submit']);
  const writer = companyAccess(companies, 'templates');
  const companyOf = (res: Response) => res.locals.company.id as number;
  const back = (req: Request, res: Response) =>
    res.redirect(303, pathFor('companyTemplates', req.lang, { id: String(companyOf(res)) }));

  async function found(req: Request, res: Response) {
    const template = await templates.find(companyOf(res), templateParam(req));
    if (!template) throw new NotFoundError();
    return template;
  }

  const formValues = (t: { name: string; permit_type: string; description: string; notes: string }) => ({
    name: t.name,
    permitType: t.permit_type,
    description: t.description,
    notes: t.notes,
  });

  /** The form again with "a template of that name exists" beside the name. */
  const nameTaken = (req: Request, res: Response, extra: Record<string, unknown>) =>
    renderInvalid(res, FORM, { name: 'validation:templateName.taken' }, req.body as Record<string, string>, {
      permitTypes: PERMIT_TYPES,
      ...extra,
    });

  page(router, 'companyTemplates').get(registered, reader, async (_req, res) => {
    res.render(LIST, { templates: await templates.list(companyOf(res)) });
  });

  page(router, 'companyTemplateNew')
    .get(registered, writer, (_req, res) => {
      res.render(FORM, { permitTypes: PERMIT_TYPES, values: {}, template: undefined });
    })
    .post(registered, writer, async (req, res) => {
      const extra = { permitTypes: PERMIT_TYPES, template: undefined };
      const form = validate(templateForm, req, res, FORM, {
        order: TEMPLATE_FIELD_ORDER,
        multiline: ['description', 'notes'],
        extra,
      });
      if (!form) return;
      if ((await templates.create(personActing(req, res), companyOf(res), form)) === 'nameTaken')
        return nameTaken(req, res, extra);
      flash(req, 'flash.templateSaved', { name: form.name });
      back(req, res);
    });

  page(router, 'companyTemplate')
    .get(registered, writer, async (req, res) => {
      const template = await found(req, res);
      res.render(FORM, { permitTypes: PERMIT_TYPES, values: formValues(template), template });
    })
    .post(registered, writer, async (req, res) => {
      const template = await found(req, res);
      const extra = { permitTypes: PERMIT_TYPES, template };
      const form: TemplateInput | undefined = validate(templateForm, req, res, FORM, {
        order: TEMPLATE_FIELD_ORDER,
        multiline: ['description', 'notes'],
        extra,
      });
      if (!form) return;
      const saved = await templates.update(personActing(req, res), companyOf(res), template.id, form);
      if (saved === 'missing') throw new NotFoundError();
      if (saved === 'nameTaken') return nameTaken(req, res, extra);
      flash(req, 'flash.templateSaved', { name: form.name });
      back(req, res);
    });

  // Deleting asks first, on a page of its own (it works without JavaScript).
  page(router, 'companyTemplateDelete')
    .get(registered, writer, async (req, res) => {
      res.render('templates/delete', { template: await found(req, res) });
    })
    .post(registered, writer, async (req, res) => {
      const template = await found(req, res);
      if (!(await templates.remove(companyOf(res), template.id))) throw new NotFoundError();
      flash(req, 'flash.templateDeleted', { name: template.name });
      back(req, res);
    });

  return router;
}
