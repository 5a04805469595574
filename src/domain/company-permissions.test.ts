import { describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS, allowed, grant, NO_PERMISSION, permissionsOf } from './company-permissions';

const may = (member: Parameters<typeof allowed>[0], p: keyof ReturnType<typeof allowed>) =>
  allowed(member)[p];

describe('company permissions', () => {
  it('lets a manager do everything', () => {
    for (const p of ['manage', 'submit', 'pay', 'inspect', 'upload', 'templates'] as const)
      expect(may(ALL_PERMISSIONS, p)).toBe(true);
  });

  it('gives a member with no permission nothing, not even sight of applications', () => {
    expect(may(NO_PERMISSION, 'submit')).toBe(false);
    expect(allowed(NO_PERMISSION).any).toBe(false);
    expect(may(undefined, 'submit')).toBe(false);
  });

  it('grants one permission alone, and Manage with all the others', () => {
    const payer = { ...NO_PERMISSION, ...grant('pay') };
    expect(permissionsOf(payer)).toEqual(['pay']);
    expect(may(payer, 'submit')).toBe(false);
    expect(permissionsOf({ ...NO_PERMISSION, ...grant('manage') })).toEqual([
      'manage',
      'submit',
      'pay',
      'inspect',
      'upload',
      'templates',
    ]);
  });
});
