import { z } from 'zod';
import { formatPhone } from '../../domain/formatting';
import { PROVINCES } from '../../domain/permit-types';
import { choice, optionalText, postalCode } from '../../web/fields';

/** A mailing address, as people and companies both give it: the fields, in the guide's order. */
export const addressFields = {
  unit: optionalText(20),
  address1: optionalText(200),
  address2: optionalText(200),
  city: optionalText(100),
  province: choice(PROVINCES, 'validation:choice.invalid'),
  postalCode,
  country: optionalText(100),
};

type AddressInput = { [K in keyof typeof addressFields]: z.infer<(typeof addressFields)[K]> };

export interface AddressRow {
  unit: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  postal_code: string | null;
  country: string | null;
}

/** The address columns, as queries that name their columns list them. */
export const ADDRESS_COLUMNS = [
  'unit',
  'address1',
  'address2',
  'city',
  'province',
  'postal_code',
  'country',
] as const satisfies readonly (keyof AddressRow)[];

/** The form's address as table columns. */
export function addressColumns(input: AddressInput): AddressRow {
  return {
    unit: input.unit,
    address1: input.address1,
    address2: input.address2,
    city: input.city,
    province: input.province,
    postal_code: input.postalCode,
    country: input.country,
  };
}

/** A stored address (and phone) back as the form's values, to edit it. */
export function addressValues(row: AddressRow & { phone?: string | null }): Record<string, string> {
  return {
    unit: row.unit ?? '',
    address1: row.address1 ?? '',
    address2: row.address2 ?? '',
    city: row.city ?? '',
    province: row.province ?? '',
    postalCode: row.postal_code ?? '',
    country: row.country ?? '',
    phone: formatPhone(row.phone),
  };
}
