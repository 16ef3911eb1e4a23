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
