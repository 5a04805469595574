import { Router } from 'express';
import { page } from '../../web/page';
import { idParam } from '../../web/params';
import { personActing } from '../accounts/acting';
import { fileNumberParam } from '../applications/schemas';
import { requireStaff } from '../staff/guard';
import { sendDocument } from './routes';
import type { DocumentsService } from './service';

/** J10, staff's side: every application's documents downloaded from its admin page (audited). */
export function staffDocumentsRoutes(documents: DocumentsService): Router {
  const router = Router();
  page(router, 'staffDocument').get(requireStaff, async (req, res) => {
    await sendDocument(
      res,
      await documents.staffDownload(personActing(req, res), fileNumberParam(req), idParam(req.params.id)),
    );
  });
  return router;
}
