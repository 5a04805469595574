import type { Lang } from '../i18n/i18n';

/** The city's time zone: dates on pages and in emails are the city's dates. */
export const TIME_ZONE = 'America/Toronto';

const dateFormats = {
  fr: new Intl.DateTimeFormat('fr-CA', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: TIME_ZONE,
  }),
  en: new Intl.DateTimeFormat('en-CA', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: TIME_ZONE,
  }),
};
const dateTimeFormats = {
  fr: new Intl.DateTimeFormat('fr-CA', { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }),
  en: new Intl.DateTimeFormat('en-CA', { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }),
};

/** "8 févr. 2024" / "Feb 8, 2024", as the guide shows them. */
export function formatDate(date: Date, lang: Lang): string {
  return dateFormats[lang].format(date);
}

export function formatDateTime(date: Date, lang: Lang): string {
  return dateTimeFormats[lang].format(date);
}

/** The year in the city's time zone (an application submitted at 23:30 on Dec 31 belongs to that year). */
export function cityYear(date: Date): number {
  return Number(new Intl.DateTimeFormat('en-CA', { year: 'numeric', timeZone: TIME_ZONE }).format(date));
}

/** A North American number from whatever the user typed: 10 digits, or 11 starting with 1. */
export function normalisePhone(input: string): string | undefined {
  let digits = input.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  // Area codes and exchanges never start with 0 or 1.
  return /^[2-9]\d{2}[2-9]\d{6}$/.test(digits) ? digits : undefined;
}

/** (613) 580-2400 */
export function formatPhone(digits: string | null | undefined): string {
  if (!digits || digits.length !== 10) return digits ?? '';
  return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
}

/** A Canadian postal code, any case and spacing, as "K1P 1J1"; undefined when it is not one. */
export function normalisePostalCode(input: string): string | undefined {
  const compact = input.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\d[ABCEGHJ-NPRSTV-Z]\d$/.test(compact)) return undefined;
  return `${compact.slice(0, 3)} ${compact.slice(3)}`;
}

/** "110 LAURIER AVE OUEST/WEST, Ottawa, ON" (unit first when there is one: "4-110 …"). */
export function formatLocation(a: {
  unit?: string | null;
  street_number: string | null;
  street_name: string | null;
  city: string;
}): string {
  // A draft saved before its address was typed has none yet (the page says "À compléter").
  if (!a.street_number && !a.street_name) return '';
  const number = a.street_number ?? '';
  const civic = a.unit ? `${a.unit}-${number}` : number;
  return `${[civic, a.street_name].filter(Boolean).join(' ')}, ${a.city}, ON`;
}

/** An email address as it is stored and compared: trimmed, in lower case (one account per address). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const moneyFormats = {
  fr: new Intl.NumberFormat('fr-CA', { style: 'currency', currency: 'CAD' }),
  en: new Intl.NumberFormat('en-CA', { style: 'currency', currency: 'CAD' }),
};

/** An amount in cents as the reader writes it: "1 250,50 $" in French, "$1,250.50" in English. */
export function formatMoney(cents: number, lang: Lang): string {
  return moneyFormats[lang].format(cents / 100);
}

/** A floor area as PostgreSQL gives it ('120.50') as the reader writes it: "120,5" / "120.5". */
export function formatArea(area: string, lang: Lang): string {
  const text = String(Number(area));
  return lang === 'fr' ? text.replace('.', ',') : text;
}

const sizeFormats = Object.fromEntries(
  (['fr', 'en'] as const).map((lang) => [
    lang,
    Object.fromEntries(
      (['kilobyte', 'megabyte'] as const).map((unit) => [
        unit,
        new Intl.NumberFormat(`${lang}-CA`, {
          style: 'unit',
          unit,
          unitDisplay: 'short',
          maximumFractionDigits: 1,
        }),
      ]),
    ),
  ]),
) as Record<Lang, Record<'kilobyte' | 'megabyte', Intl.NumberFormat>>;

/** A file's size as the reader writes it: "2,4 Mo" / "2.4 MB", "512 ko" / "512 kB" (never below 1 kB). */
export function formatSize(bytes: number, lang: Lang): string {
  const kilobytes = bytes / 1024;
  return kilobytes < 1000
    ? sizeFormats[lang].kilobyte.format(Math.max(1, Math.round(kilobytes)))
    : sizeFormats[lang].megabyte.format(kilobytes / 1024);
}
