import { z } from 'zod';
import { NOTIFICATION_EVENTS, type NotificationEvent } from '../../domain/notifications';
import { TITLES } from '../../domain/permit-types';
import { choice, extension, phone, requiredText } from '../../web/fields';
import { addressFields } from './address';

// Messages are translation keys (locales/<lang>/validation.json).

/** "Renseignements du profil personnel", in the guide's order. */
const profileFields = {
  title: choice(TITLES, 'validation:choice.invalid'),
  firstName: requiredText('validation:firstName.required', 100),
  lastName: requiredText('validation:lastName.required', 100),
  language: z.enum(['fr', 'en'], { error: 'validation:language.required' }),
  ...addressFields,
  phone: phone('validation:phone.required'),
  phoneExt: extension,
  phone2: phone(),
  phone2Ext: extension,
};

export const PROFILE_FIELD_ORDER = Object.keys(profileFields);

export const registrationForm = z.object({
  ...profileFields,
  consent: z.literal('on', { error: 'validation:consent.required' }),
});

/** "Avis par courriel": a box per event (notify_status, notify_messages…), ticked for the emails wanted. */
const notifyFields = Object.fromEntries(
  NOTIFICATION_EVENTS.map((event) => [`notify_${event}`, z.literal('on').optional().catch(undefined)]),
) as unknown as Record<`notify_${NotificationEvent}`, z.ZodType<'on' | undefined>>;

export const profileForm = z.object({ ...profileFields, ...notifyFields }).transform((input) => {
  const profile = Object.fromEntries(Object.entries(input).filter(([key]) => !key.startsWith('notify_')));
  const notify = NOTIFICATION_EVENTS.filter((event) => input[`notify_${event}`] === 'on');
  return { ...(profile as ProfileInput), notify };
});

/** The profile's own fields (registration and Mon profil). */
export type ProfileInput = z.infer<z.ZodObject<typeof profileFields>>;
/** Mon profil: the profile, and the email notices wanted. */
export type ProfileUpdate = z.infer<typeof profileForm>;

export const pinForm = z.object({
  pin: z
    .string({ error: 'validation:pin.required' })
    .trim()
    .min(1, 'validation:pin.required')
    .max(40, 'validation:pin.invalid'),
});
