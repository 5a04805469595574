import { NOTIFICATION_EVENTS } from '../../domain/notifications';
import { Router } from 'express';
import { formatPhone } from '../../domain/formatting';
import { requireSignIn } from '../../web/auth';
import { flash } from '../../web/flash';
import { validate } from '../../web/forms';
import { page } from '../../web/page';
import { pathFor } from '../../web/paths';
import { requireRegistration } from './guard';
import type { ProfileRow } from './queries';
import { addressValues } from './address';
import { pinForm, PROFILE_FIELD_ORDER, profileForm, registrationForm } from './schemas';
import type { RegistrationService } from './service';

const REGISTER = 'registration/register';
const PREVIOUS_CLIENT = 'registration/previous-client';
const PROFILE = 'registration/profile';

/** The profile as the form's fields, to fill "Mon profil". */
function formValues(profile: ProfileRow, locale: string): Record<string, string> {
  return {
    title: profile.title ?? '',
    firstName: profile.first_name,
    lastName: profile.last_name,
    language: locale,
    ...addressValues(profile),
    phoneExt: profile.phone_ext ?? '',
    phone2: formatPhone(profile.phone2),
    phone2Ext: profile.phone2_ext ?? '',
  };
}

/** J2: "Inscrire pour des services du code du bâtiment", "Dossier du client antérieur", "Mon profil". */
export function registrationRoutes(registration: RegistrationService): Router {
  const router = Router();
  const registered = requireRegistration(registration);

  page(router, 'register')
    .get(requireSignIn, async (req, res) => {
      if (await registration.profileOf(req.user!)) return res.redirect(303, pathFor('bcsHome', req.lang));
      res.render(REGISTER, { values: { language: req.lang, country: 'Canada', province: 'ON' } });
    })
    .post(requireSignIn, async (req, res) => {
      const form = validate(registrationForm, req, res, REGISTER, {
        order: [...PROFILE_FIELD_ORDER, 'consent'],
      });
      if (!form) return;
      await registration.register(req.user!.id, form, req.ip);
      res.redirect(303, pathFor('previousClient', req.lang));
    });

  page(router, 'previousClient')
    .get(registered, (_req, res) => res.render(PREVIOUS_CLIENT))
    .post(registered, async (req, res) => {
      const form = validate(pinForm, req, res, PREVIOUS_CLIENT, { order: ['pin'] });
      if (!form) return;
      const result = await registration.linkClientRecord(req.user!.id, form.pin, req.ip);
      if (!result.ok) {
        const key = result.reason === 'throttled' ? 'registration:pin.throttled' : 'registration:pin.invalid';
        return res
          .status(result.reason === 'throttled' ? 429 : 422)
          .render(PREVIOUS_CLIENT, { errors: { pin: key } });
      }
      flash(req, 'flash.clientRecordLinked', { name: result.name });
      res.redirect(303, pathFor('profile', req.lang));
    });

  page(router, 'previousClientSkip').post(registered, (req, res) =>
    res.redirect(303, pathFor('bcsHome', req.lang)),
  );

  page(router, 'profile')
    .get(registered, async (req, res) => {
      const [records, notify] = await Promise.all([
        registration.linkedClientRecords(req.user!.id),
        registration.notifications(req.user!.id),
      ]);
      const values = {
        ...formValues(res.locals.profile, req.user!.locale),
        ...Object.fromEntries(notify.map((event) => [`notify_${event}`, 'on'])),
      };
      res.render(PROFILE, { values, records, events: NOTIFICATION_EVENTS });
    })
    .post(registered, async (req, res) => {
      const records = await registration.linkedClientRecords(req.user!.id);
      const form = validate(profileForm, req, res, PROFILE, {
        order: PROFILE_FIELD_ORDER,
        extra: { records, events: NOTIFICATION_EVENTS },
      });
      if (!form) return;
      await registration.updateProfile(req.user!.id, form);
      flash(req, 'flash.profileSaved');
      res.redirect(303, pathFor('profile', req.lang));
    });

  return router;
}
