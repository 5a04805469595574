/**
 * What a person may do for a company, in one place for every feature. Manage is everything on the
 * company's behalf (people, PIN, details, and all below); granting it grants every permission.
 */
export const PERMISSIONS = ['manage', 'submit', 'pay', 'inspect', 'upload', 'templates'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_COLUMNS = {
  manage: 'can_manage',
  submit: 'can_submit',
  pay: 'can_pay',
  inspect: 'can_inspect',
  upload: 'can_upload',
  templates: 'can_manage_templates',
} as const satisfies Record<Permission, string>;

export type Membership = { [K in (typeof PERMISSION_COLUMNS)[Permission]]: boolean };

/**
 * What a membership allows, each permission answered (Manage counts for every one), and whether it allows
 * anything at all (a member with no permission sees the company's name, not its applications). Services,
 * guards and views all ask this; none reads the columns itself.
 */
export type Allowed = Record<Permission, boolean> & { any: boolean };

export function allowed(member: Membership | undefined): Allowed {
  const each = Object.fromEntries(
    PERMISSIONS.map((p) => [p, !!member && (member.can_manage || member[PERMISSION_COLUMNS[p]])]),
  ) as Record<Permission, boolean>;
  return { ...each, any: PERMISSIONS.some((p) => each[p]) };
}

export function permissionsOf(member: Membership): Permission[] {
  const answer = allowed(member);
  return PERMISSIONS.filter((p) => answer[p]);
}

/** The columns to write when granting a permission (Manage brings all the others with it). */
export function grant(permission: Permission): Partial<Membership> {
  if (permission === 'manage')
    return Object.fromEntries(Object.values(PERMISSION_COLUMNS).map((c) => [c, true]));
  return { [PERMISSION_COLUMNS[permission]]: true };
}

export const NO_PERMISSION: Membership = {
  can_manage: false,
  can_submit: false,
  can_pay: false,
  can_inspect: false,
  can_upload: false,
  can_manage_templates: false,
};

export const ALL_PERMISSIONS: Membership = {
  can_manage: true,
  can_submit: true,
  can_pay: true,
  can_inspect: true,
  can_upload: true,
  can_manage_templates: true,
};
