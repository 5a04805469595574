/** The kinds of permit one can apply for; their names are in locales/<lang>/applications.json (permitTypes). */
export const PERMIT_TYPES = [
  'house',
  'addition',
  'accessory_building',
  'deck',
  'pool_enclosure',
  'interior_alteration',
  'demolition',
] as const;
export type PermitType = (typeof PERMIT_TYPES)[number];

export const PROVINCES = [
  'AB',
  'BC',
  'MB',
  'NB',
  'NL',
  'NS',
  'NT',
  'NU',
  'ON',
  'PE',
  'QC',
  'SK',
  'YT',
] as const;
export const TITLES = ['mr', 'ms', 'mx', 'dr'] as const;

/** The one city this portal serves: every application's civic address is in it. */
export const CITY = 'Ottawa';
