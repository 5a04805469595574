import { describe, expect, it } from 'vitest';
import {
  cityYear,
  formatDate,
  formatLocation,
  formatPhone,
  normalisePhone,
  normalisePostalCode,
} from './formatting';

describe('formats people expect', () => {
  it('writes dates as the guide does, in the city time zone', () => {
    const date = new Date('2024-02-08T15:00:00Z');
    expect(formatDate(date, 'fr')).toBe('8 févr. 2024');
    expect(formatDate(date, 'en')).toBe('Feb 8, 2024');
    expect(cityYear(new Date('2027-01-01T03:00:00Z'))).toBe(2026);
  });

  it('accepts phone numbers however they are typed, and shows them as (613) 580-2400', () => {
    for (const typed of ['613-580-2400', '(613) 580 2400', '+1 613 580 2400', '6135802400']) {
      expect(normalisePhone(typed), typed).toBe('6135802400');
    }
    for (const bad of ['580-2400', '113 580 2400', '613 580 24001', 'phone'])
      expect(normalisePhone(bad), bad).toBeUndefined();
    expect(formatPhone('6135802400')).toBe('(613) 580-2400');
  });

  it('normalises Canadian postal codes and refuses others', () => {
    expect(normalisePostalCode('k1p1j1')).toBe('K1P 1J1');
    expect(normalisePostalCode(' K1P-1J1 ')).toBe('K1P 1J1');
    for (const bad of ['12345', 'D1P 1J1', 'K1P 1J', 'KKP 1J1'])
      expect(normalisePostalCode(bad), bad).toBeUndefined();
  });

  it('writes a location as the grid shows it', () => {
    expect(
      formatLocation({ street_number: '110', street_name: 'LAURIER AVE OUEST/WEST', city: 'Ottawa' }),
    ).toBe('110 LAURIER AVE OUEST/WEST, Ottawa, ON');
    expect(formatLocation({ unit: '4', street_number: '12', street_name: 'Elgin St', city: 'Ottawa' })).toBe(
      '4-12 Elgin St, Ottawa, ON',
    );
  });
});
