import { expect } from 'vitest';
import { submitForm, type Visitor } from './browser-like';

/** The Demandes base path in each language. */
export const applicationsBase = (lang: 'fr' | 'en') =>
  lang === 'fr' ? '/fr/services-code-batiment/demandes' : '/en/building-code-services/applications';

/** A house at 110 Laurier submitted by this (registered) visitor, `fields` changed; returns its number. */
export async function submittedApplication(
  agent: Visitor,
  lang: 'fr' | 'en' = 'fr',
  fields: Record<string, string> = {},
): Promise<string> {
  const path = `${applicationsBase(lang)}/${lang === 'fr' ? 'nouvelle' : 'new'}`;
  const created = await submitForm(agent, path, path, {
    permitType: 'house',
    floorArea: '120',
    streetNumber: '110',
    streetName: 'LAURIER AVE OUEST/WEST',
    postalCode: 'K1P 1J1',
    description: 'Maison',
    ...fields,
  });
  expect(created.status).toBe(303);
  return decodeURIComponent(created.headers.location!.split('/').pop()!);
}
