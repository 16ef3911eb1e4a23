/**
 * Every permission the platform knows. Roles are sets of these; services check them per action.
 */
export const PERMISSIONS = [
  'patients:read',
  'patients:register',
  'patients:update',
  'patients:merge',
  'patients:configure',
  'audit:read',
  'identity:manage',
  'messaging:manage',
  'wards:read',
  'wards:admit',
  'wards:transfer',
  'wards:discharge',
  'wards:manage',
  'wards:housekeeping',
  'wards:integration',
  'pharmacy:read',
  'pharmacy:dispense',
  'pharmacy:receive',
  'pharmacy:manage',
  'pharmacy:transfer',
  'pharmacy:adjust',
  'pharmacy:reports',
  'billing:read',
  'billing:invoice',
  'clinical:read',
  'clinical:write',
  'scheduling:read',
  'scheduling:book',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** Built-in roles seeded at first start; administrators may define more. */
export const BUILT_IN_ROLES: Record<string, readonly Permission[]> = {
  admin: PERMISSIONS,
  doctor: ['patients:read', 'patients:update', 'clinical:read', 'clinical:write', 'wards:read', 'scheduling:read', 'pharmacy:read'],
  nurse: ['patients:read', 'clinical:read', 'wards:read', 'wards:transfer', 'wards:housekeeping', 'pharmacy:read'],
  housekeeping: ['wards:read', 'wards:housekeeping'],
  'ward-manager': ['patients:read', 'wards:read', 'wards:manage', 'wards:housekeeping', 'wards:transfer'],
  'front-desk': ['patients:read', 'patients:register', 'patients:update', 'scheduling:read', 'scheduling:book', 'wards:read'],
  'admission-desk': ['patients:read', 'patients:register', 'patients:update', 'wards:read', 'wards:admit', 'wards:transfer', 'wards:discharge'],
  'records-officer': ['patients:read', 'patients:update', 'patients:merge'],
  pharmacist: ['patients:read', 'pharmacy:read', 'pharmacy:dispense', 'pharmacy:reports'],
  'store-manager': ['pharmacy:read', 'pharmacy:receive', 'pharmacy:manage', 'pharmacy:transfer', 'pharmacy:adjust', 'pharmacy:reports'],
  'billing-clerk': ['patients:read', 'billing:read', 'billing:invoice'],
  auditor: ['audit:read'],
  // Interface engines (LIS, PACS, billing systems) that read the HL7 ADT feed and move their cursor.
  integration: ['wards:read', 'wards:integration'],
};

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

/**
 * Permissions over the whole platform rather than one branch. No branch role can hold them (a
 * role's permissions are branch permissions only), so a branch's admin cannot change what other
 * branches' users may do.
 */
export const PLATFORM_PERMISSIONS = [
  /** Define roles, create branches, grant platform roles, see every branch's dead letters. */
  'platform:manage',
  /** See audit figures (verify) across every branch. */
  'platform:audit',
] as const;

export type PlatformPermission = (typeof PLATFORM_PERMISSIONS)[number];

/** Platform roles: fixed sets of platform permissions, granted to a user, not to a membership. */
export const PLATFORM_ROLES: Record<string, readonly PlatformPermission[]> = {
  'platform-admin': PLATFORM_PERMISSIONS,
  'platform-auditor': ['platform:audit'],
};

export function isPlatformRole(value: string): boolean {
  return Object.prototype.hasOwnProperty.call(PLATFORM_ROLES, value);
}
