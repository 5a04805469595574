import { z } from 'zod';
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

export const profileForm = z.object({
  ...profileFields,
  notifyWithdrawal: z.literal('on').optional(),
});

export type ProfileInput = z.infer<typeof profileForm>;

export const pinForm = z.object({
  pin: z
    .string({ error: 'validation:pin.required' })
    .trim()
    .min(1, 'validation:pin.required')
    .max(40, 'validation:pin.invalid'),
});
