import { Router, type Request, type Response } from 'express';
import { NotFoundError } from '../../errors';
import { together } from '../../db/together';
import { flash } from '../../web/flash';
import { validate } from '../../web/forms';
import { page } from '../../web/page';
import { idParam } from '../../web/params';
import { pathFor } from '../../web/paths';
import { personActing } from '../accounts/acting';
import { refParam } from '../applications/schemas';
import type { ApplicationsService } from '../applications/service';
import { requireRegistration } from '../registration/guard';
import type { RegistrationService } from '../registration/service';
import type { Conversation, PostResult } from './conversation';
import { messageForm } from './schemas';

const REPLY = 'applications/reply';

/** J8, the applicant's side: messages on an application, and replies to what staff asked ("Répondre"). */
export function reviewRoutes(
  conversation: Conversation,
  applications: ApplicationsService,
  registration: RegistrationService,
): Router {
  const router = Router();
  const registered = requireRegistration(registration);

  /** The reply page: the application (if this user sees it) and the deficiency, still open. */
  async function replyPage(req: Request, id: number) {
    const ref = refParam(req);
    const { application } = await applications.activity(req.user!, ref);
    const [talk] = await together([
      conversation.forApplicantSide(application, applications.standingOn(req.user!.id, application)),
    ]);
    const deficiency = talk.deficiencies.find((d) => d.id === id);
    if (!deficiency) throw new NotFoundError();
    return { application, ref, deficiency, mayWrite: talk.mayWrite };
  }

  function after(req: Request, res: Response, ref: string, outcome: PostResult) {
    if (outcome === 'notFound') throw new NotFoundError();
    flash(req, outcome === 'sent' ? 'flash.messageSent' : `flash.message.${outcome}`, { number: ref });
    res.redirect(303, `${pathFor('application', req.lang, { ref })}#messages`);
  }

  page(router, 'applicationMessage').post(registered, async (req, res) => {
    const ref = refParam(req);
    const { application } = await applications.activity(req.user!, ref);
    // A message that cannot be sent comes back on a page of its own, beside its field, text kept.
    const form = validate(messageForm, req, res, REPLY, {
      multiline: ['body'],
      extra: { application, ref, deficiency: undefined, mayWrite: true },
    });
    if (!form) return;
    after(req, res, ref, await conversation.postFromApplicant(personActing(req, res), ref, form.body));
  });

  page(router, 'answerDeficiency')
    .get(registered, async (req, res) => {
      const shown = await replyPage(req, idParam(req.params.id));
      // A document asked for is answered by uploading it.
      if (shown.deficiency.wants_document)
        return res.redirect(
          303,
          `${pathFor('applicationDocuments', req.lang, { ref: shown.ref })}?item=${shown.deficiency.id}`,
        );
      res.render(REPLY, shown);
    })
    .post(registered, async (req, res) => {
      const id = idParam(req.params.id);
      const shown = await replyPage(req, id);
      const form = validate(messageForm, req, res, REPLY, { multiline: ['body'], extra: shown });
      if (!form) return;
      after(
        req,
        res,
        shown.ref,
        await conversation.postFromApplicant(personActing(req, res), shown.ref, form.body, id),
      );
    });

  return router;
}
