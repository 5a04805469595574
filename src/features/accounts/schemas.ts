import { z } from 'zod';
import { isCommonPassword, PASSWORD_MAX, PASSWORD_MIN } from './passwords';

// Every message is a translation key (locales/<lang>/validation.json), shown beside its field.

const text = (requiredKey: string) => z.string({ error: requiredKey }).trim().min(1, requiredKey);

export const email = text('validation:email.required')
  .max(254, 'validation:email.tooLong')
  .pipe(z.email('validation:email.invalid'));

/** A new password: long enough, not absurdly long, not on the list of common passwords. No composition rules. */
export const newPassword = z
  .string({ error: 'validation:password.required' })
  .min(1, 'validation:password.required')
  .min(PASSWORD_MIN, 'validation:password.tooShort')
  .max(PASSWORD_MAX, 'validation:password.tooLong')
  .refine((value) => !isCommonPassword(value), 'validation:password.common');

/** A password typed to prove who you are; its length says nothing useful, but a cap keeps hashing cheap. */
const typedPassword = z
  .string({ error: 'validation:password.required' })
  .min(1, 'validation:password.required')
  .max(1024, 'validation:password.tooLong');

const token = z
  .string({ error: 'validation:token.invalid' })
  .regex(/^[\w-]{43}$/, 'validation:token.invalid');

/**
 * The confirmation must equal its field. Checked even when other fields are wrong (zod skips object
 * refinements after a field error unless told when to run), so every problem shows at once.
 */
function matching(field: string, confirm: string, key: string, compare = (a: string, b: string) => a === b) {
  const options: z.core.$ZodCustomParams & { when: (payload: { value: unknown }) => boolean } = {
    path: [confirm],
    message: key,
    when: (payload) => {
      const value = payload.value as Record<string, unknown> | undefined;
      return (
        typeof value?.[field] === 'string' && typeof value?.[confirm] === 'string' && value[confirm] !== ''
      );
    },
  };
  return [
    (value: Record<string, unknown>) => compare(String(value[field]), String(value[confirm])),
    options,
  ] as const;
}

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export const signUpForm = z
  .object({
    email,
    emailConfirm: text('validation:emailConfirm.required'),
    password: newPassword,
    passwordConfirm: z
      .string({ error: 'validation:passwordConfirm.required' })
      .min(1, 'validation:passwordConfirm.required'),
    terms: z.literal('on', { error: 'validation:terms.required' }),
  })
  .refine(...matching('email', 'emailConfirm', 'validation:emailConfirm.mismatch', sameEmail))
  .refine(...matching('password', 'passwordConfirm', 'validation:passwordConfirm.mismatch'));

export const signInForm = z.object({ email, password: typedPassword });

export const activateForm = z.object({ token, password: typedPassword });

export const emailForm = z.object({ email });

export const tokenQuery = z.object({ token });

export const resetPasswordForm = z
  .object({
    token,
    password: newPassword,
    passwordConfirm: z
      .string({ error: 'validation:passwordConfirm.required' })
      .min(1, 'validation:passwordConfirm.required'),
  })
  .refine(...matching('password', 'passwordConfirm', 'validation:passwordConfirm.mismatch'));

export const changePasswordForm = z
  .object({
    currentPassword: typedPassword,
    password: newPassword,
    passwordConfirm: z
      .string({ error: 'validation:passwordConfirm.required' })
      .min(1, 'validation:passwordConfirm.required'),
  })
  .refine(...matching('password', 'passwordConfirm', 'validation:passwordConfirm.mismatch'));

export const changeEmailForm = z.object({ newEmail: email, currentPassword: typedPassword });
