import { Router, type Request, type Response } from 'express';
import { PERMISSIONS } from '../../domain/company-permissions';
import { confirmed } from '../../web/confirm';
import { flash } from '../../web/flash';
import { ForbiddenError } from '../../errors';
import { validate } from '../../web/forms';
import { page } from '../../web/page';
import { pathFor } from '../../web/paths';
import type { HomeTab } from '../applications/home-tab';
import { requireRegistration } from '../registration/guard';
import type { RegistrationService } from '../registration/service';
import { addressValues } from '../registration/address';
import { personActing } from '../accounts/acting';
import { companyAccess } from './guard';
import type { CompanyRow } from './queries';
import { associateForm, bulkForm, COMPANY_FIELD_ORDER, companyForm, permissionGridForm } from './schemas';
import { PAGE_SIZES, paginate, pageSize } from '../../web/pagination';
import type { CompaniesService } from './service';

const FORM = 'companies/form';
const DETAILS = 'companies/details';
const MEMBERS = 'companies/members';

function detailsValues(company: CompanyRow): Record<string, string> {
  return {
    legalName: company.legal_name,
    operatingName: company.operating_name ?? '',
    tarionNumber: company.tarion_number ?? '',
    ...addressValues(company),
    phoneExt: company.phone_ext ?? '',
    email: company.email ?? '',
  };
}

const idOf = (res: Response) => (res.locals.company as CompanyRow).id;

/** J4: the Professionnels/Entrepreneurs tab, a company's Détails and Comptes associés. */
export function companiesRoutes(
  companies: CompaniesService,
  registration: RegistrationService,
  renderTab: HomeTab,
): Router {
  const router = Router();
  const registered = requireRegistration(registration);
  const member = companyAccess(companies, 'member');
  const manager = companyAccess(companies, 'manage');

  const companiesTab = async (
    req: Request,
    res: Response,
    extra: Record<string, unknown> = {},
    status = 200,
  ) =>
    renderTab(
      req,
      res,
      'bcsCompanies',
      { companies: await companies.companiesOf(req.user!.id), ...extra },
      status,
    );

  page(router, 'bcsCompanies').get(registered, (req, res) => companiesTab(req, res));

  page(router, 'companyAssociate').post(registered, async (req, res) => {
    const form = associateForm.safeParse(req.body ?? {});
    if (!form.success) {
      return companiesTab(
        req,
        res,
        { errors: { pin: form.error.issues[0]!.message }, values: { pin: '' } },
        422,
      );
    }
    const result = await companies.associate(personActing(req, res), form.data.pin, req.ip);
    if (!result.ok) {
      const status = result.reason === 'throttled' ? 429 : 422;
      return companiesTab(
        req,
        res,
        { errors: { pin: `companies:associate.${result.reason}` }, values: { pin: form.data.pin } },
        status,
      );
    }
    flash(req, result.claimed ? 'flash.companyClaimed' : 'flash.companyJoined', { name: result.name });
    res.redirect(303, pathFor('bcsCompanies', req.lang));
  });

  page(router, 'companyNew')
    .get(registered, (_req, res) => res.render(FORM, { values: { province: 'ON', country: 'Canada' } }))
    .post(registered, async (req, res) => {
      const form = validate(companyForm, req, res, FORM, { order: COMPANY_FIELD_ORDER });
      if (!form) return;
      const id = await companies.create(personActing(req, res), form);
      flash(req, 'flash.companyCreated', { name: form.legalName });
      res.redirect(303, pathFor('companyMembers', req.lang, { id: String(id) }));
    });

  page(router, 'company')
    .get(registered, member, (_req, res) =>
      res.render(DETAILS, { values: detailsValues(res.locals.company) }),
    )
    .post(registered, manager, async (req, res) => {
      const form = validate(companyForm, req, res, DETAILS, { order: COMPANY_FIELD_ORDER });
      if (!form) return;
      if (!(await companies.updateDetails(personActing(req, res), idOf(res), form)))
        throw new ForbiddenError();
      flash(req, 'flash.companySaved');
      res.redirect(303, pathFor('company', req.lang, { id: String(idOf(res)) }));
    });

  /** What was ticked in the form just sent, so a page shown again with an error keeps every tick. */
  function ticks(req: Request): { members: Set<string>; cells: Set<string> } | undefined {
    if (req.method !== 'POST') return undefined;
    const list = (v: unknown) => new Set((Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String));
    return { members: list(req.body?.members), cells: list(req.body?.cell) };
  }

  async function renderMembers(
    req: Request,
    res: Response,
    status = 200,
    extra: Record<string, unknown> = {},
  ) {
    const pageNumber = Math.max(1, Math.min(10_000, Number(req.query.page) || 1));
    const size = pageSize.parse(req.query.size);
    const { rows, total } = await companies.members(idOf(res), {
      size,
      offset: (pageNumber - 1) * size,
    });
    const path = pathFor('companyMembers', req.lang, { id: String(idOf(res)) });
    res.status(status).render(MEMBERS, {
      rows,
      pagination: paginate(total, pageNumber, size, path, size === 10 ? {} : { size }),
      // The form posts back to the page it is on, so a page shown again with an error has the same rows.
      formAction:
        path + (req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : ''),
      size,
      pageSizes: PAGE_SIZES,
      kept: ticks(req),
      permissions: PERMISSIONS,
      pin: companies.pinOf(res.locals.company),
      ...extra,
    });
  }

  page(router, 'companyMembers')
    .get(registered, manager, (req, res) => renderMembers(req, res))
    .post(registered, manager, async (req, res) => {
      if (req.body?.action === 'save') return savePermissionGrid(req, res);
      const form = bulkForm.safeParse(req.body ?? {});
      if (!form.success)
        return renderMembers(req, res, 422, { errors: { members: 'companies:members.noneSelected' } });
      const back = pathFor('companyMembers', req.lang, { id: String(idOf(res)) });
      if (
        form.data.action === 'remove' &&
        !confirmed(req, res, {
          title: 'companies:members.remove',
          question: 'companies:members.removeQuestion',
          note: 'companies:members.removeNote',
          params: { count: form.data.members.length },
          button: 'companies:members.remove',
          back,
        })
      )
        return;
      const result = await companies.bulk(
        personActing(req, res),
        idOf(res),
        form.data.action,
        form.data.members,
      );
      // Gérer lost since the guard looked (another manager, at the same moment): this page is no longer
      // theirs to see, with its members and PIN.
      if (!result.ok && result.reason === 'forbidden') throw new ForbiddenError();
      if (!result.ok) {
        const key =
          result.reason === 'noManager' ? 'companies:members.noManager' : 'companies:members.noneSelected';
        return renderMembers(req, res, result.reason === 'noManager' ? 409 : 422, {
          errors: { members: key },
        });
      }
      flash(req, `flash.bulk.${form.data.action}`, { count: result.changed });
      res.redirect(
        303,
        result.removedSelf
          ? pathFor('bcsCompanies', req.lang)
          : pathFor('companyMembers', req.lang, { id: String(idOf(res)) }),
      );
    });

  /** "Enregistrer les autorisations": the permission cells of the rows shown, each set as ticked. */
  async function savePermissionGrid(req: Request, res: Response) {
    const back = pathFor('companyMembers', req.lang, { id: String(idOf(res)) });
    const form = permissionGridForm.safeParse(req.body ?? {});
    if (!form.success)
      return renderMembers(req, res, 422, { errors: { members: 'companies:members.noneSelected' } });
    const result = await companies.savePermissionGrid(personActing(req, res), idOf(res), form.data);
    if (!result.ok && result.reason === 'forbidden') throw new ForbiddenError();
    if (!result.ok)
      return renderMembers(req, res, result.reason === 'noManager' ? 409 : 422, {
        errors: {
          members:
            result.reason === 'noManager' ? 'companies:members.noManager' : 'companies:members.noneSelected',
        },
      });
    if (result.changed) flash(req, 'flash.permissionsSaved', { count: result.changed });
    else flash(req, 'flash.permissionsUnchanged');
    res.redirect(303, back);
  }

  page(router, 'companyPin').post(registered, manager, async (req, res) => {
    const ask = {
      title: 'companies:pin.rotate',
      question: 'companies:pin.rotateQuestion',
      note: 'companies:pin.rotateWarning',
      button: 'companies:pin.rotate',
      back: pathFor('companyMembers', req.lang, { id: String(idOf(res)) }),
    };
    if (!confirmed(req, res, ask)) return;
    if (!(await companies.rotatePin(personActing(req, res), idOf(res)))) throw new ForbiddenError();
    flash(req, 'flash.companyPinChanged');
    res.redirect(303, pathFor('companyMembers', req.lang, { id: String(idOf(res)) }));
  });

  page(router, 'companyHistory').get(registered, manager, async (_req, res) => {
    res.render('companies/history', { events: await companies.history(idOf(res)) });
  });

  return router;
}
