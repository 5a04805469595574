import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { ForbiddenError, NotFoundError } from '../../errors';
import { invalidToken } from '../../web/csrf';
import { flash } from '../../web/flash';
import { page } from '../../web/page';
import { idParam } from '../../web/params';
import { pathFor } from '../../web/paths';
import { personActing } from '../accounts/acting';
import { applicationOnPage } from '../applications/on-page';
import { refParam } from '../applications/schemas';
import type { ApplicationsService } from '../applications/service';
import { requireRegistration } from '../registration/guard';
import type { RegistrationService } from '../registration/service';
import type { DocumentRow } from './queries';
import type { DocumentsService } from './service';
import { discard, MAX_FILE_BYTES, MAX_FILES, receiveUpload, UploadCut, type UploadProblem } from './upload';

const PAGE = 'documents/page';

/** The most an honest upload form can send: every file at its limit, and room for the form's parts. */
const MAX_BODY = MAX_FILES * (MAX_FILE_BYTES + 64 * 1024);

/** Sends a document as a download: its own type, never rendered in the portal's origin, never cached. */
export async function sendDocument(
  res: Response,
  got: { document: DocumentRow; stream: NodeJS.ReadableStream } | undefined,
): Promise<void> {
  if (!got) throw new NotFoundError();
  res.status(200).attachment(got.document.file_name);
  res.set({
    'Content-Type': got.document.content_type,
    'Content-Length': String(got.document.size_bytes),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
  });
  await pipeline(got.stream, res);
}

/**
 * J10, the applicant's side: an application's documents (read by whoever sees it), uploaded by its
 * applicant's side with Téléverser des fichiers, as a plain multipart form that works without JavaScript.
 * Mounted before the general CSRF check: the upload reads its own body and checks the form's token,
 * which comes first, before it accepts any file.
 */
export function documentsRoutes(
  documents: DocumentsService,
  applications: ApplicationsService,
  registration: RegistrationService,
  options: { tmpDir: string; tokenValid: (req: Request, token: string) => boolean },
): Router {
  const router = Router();
  const registered = requireRegistration(registration);

  async function shown(req: Request) {
    const { application, ref } = await applicationOnPage(applications, req);
    return { application, ref, ...(await documents.forApplicantSide(application, req.user!.id)) };
  }

  function refused(
    res: Response,
    view: Awaited<ReturnType<typeof shown>>,
    problem: UploadProblem | 'notOpen',
    kept: { fileName?: string; item?: string } = {},
  ) {
    const { fileName, item } = kept;
    const field = problem === 'notOpen' ? 'item' : 'files';
    res.status(problem === 'tooLarge' || problem === 'tooMuch' ? 413 : 422).render(PAGE, {
      ...view,
      errors: { [field]: `documents:problems.${problem}` },
      errorParams: { file: fileName ?? '' },
      // The request chosen stays chosen (never the files: a browser cannot be given them back).
      values: { item: item ?? '' },
    });
  }

  page(router, 'applicationDocuments')
    .get(registered, async (req, res) => {
      // "Téléverser" beside a document staff asked for opens the form with that request chosen.
      const item =
        typeof req.query.item === 'string' && /^\d{1,12}$/.test(req.query.item) ? req.query.item : '';
      res.render(PAGE, { ...(await shown(req)), values: { item } });
    })
    .post(registered, async (req, res) => {
      // Who may not upload is refused before a byte of the body is read.
      const view = await shown(req);
      if (!view.mayUpload) throw new ForbiddenError();
      // A form that is not an upload (urlencoded) carries its token in the body the app already read.
      if (!req.is('multipart/form-data')) {
        if (!options.tokenValid(req, String((req.body as { _csrf?: unknown } | undefined)?._csrf ?? '')))
          throw invalidToken();
        return refused(res, view, 'none');
      }
      if (Number(req.get('content-length') ?? 0) > MAX_BODY) {
        res.set('Connection', 'close');
        return refused(res, view, 'tooMuch');
      }
      let received: Awaited<ReturnType<typeof receiveUpload>>;
      try {
        received = await receiveUpload(req, {
          tmpDir: options.tmpDir,
          tokenValid: (token) => options.tokenValid(req, token),
        });
      } catch (error) {
        if (!(error instanceof UploadCut)) throw error;
        // Its partial file is already removed; a browser that went away gets no page.
        req.log?.info('upload cut by the client');
        return void res.destroy();
      }
      if (!received.ok && received.problem === 'forbidden') {
        res.set('Connection', 'close');
        throw invalidToken();
      }
      if (!received.ok)
        return refused(res, view, received.problem, {
          fileName: received.fileName,
          item: received.fields.item,
        });
      const item = received.fields.item ? Number(received.fields.item) : undefined;
      try {
        if (item !== undefined && !(Number.isSafeInteger(item) && item > 0))
          return refused(res, view, 'notOpen', { item: received.fields.item });
        const result = await documents.upload(personActing(req, res), view.ref, received.files, item);
        if (result === 'notFound') throw new NotFoundError();
        if (result === 'notAllowed') throw new ForbiddenError();
        if (result === 'notOpen') return refused(res, view, 'notOpen', { item: received.fields.item });
      } finally {
        await discard(received.files.map((f) => f.path));
      }
      // Outside production with no scanner, nothing is promised about a scan.
      flash(req, view.scanning ? 'flash.documentsUploaded' : 'flash.documentsStored', {
        count: received.files.length,
      });
      res.redirect(303, pathFor('applicationDocuments', req.lang, { ref: view.ref }));
    });

  page(router, 'applicationDocument').get(registered, async (req, res) => {
    await sendDocument(
      res,
      await documents.download(personActing(req, res), refParam(req), idParam(req.params.id)),
    );
  });

  return router;
}
