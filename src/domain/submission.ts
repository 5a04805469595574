import { AREA_BASED } from './fees';
import type { PermitType } from './permit-types';

/** What an application holds; a draft may hold any part of it. */
export interface ApplicationContent {
  permitType: PermitType | null;
  streetNumber: string | null;
  streetName: string | null;
  postalCode: string | null;
  description: string | null;
  /** Hundredths of a m². */
  floorArea: number | null;
}

/**
 * What "Soumettre" needs and "Enregistrer comme brouillon" does not: the fields still empty, in the
 * form's order (the floor area only for the types whose fee depends on it). Asked by the form and again
 * when a saved draft is submitted from its page.
 */
export function missingToSubmit(content: ApplicationContent): (keyof ApplicationContent)[] {
  const missing = (['permitType', 'streetNumber', 'streetName', 'postalCode'] as const).filter(
    (field) => content[field] === null || content[field] === undefined,
  ) as (keyof ApplicationContent)[];
  if (
    content.permitType &&
    AREA_BASED.includes(content.permitType) &&
    (content.floorArea === null || content.floorArea === undefined)
  )
    missing.push('floorArea');
  if (content.description === null || content.description === undefined) missing.push('description');
  return missing;
}
