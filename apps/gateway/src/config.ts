import { int, str, url } from '@hms/platform-config';

/** Services the gateway routes to: `/api/v1/<name>/...` goes to `<NAME>_URL`. */
export const ROUTED_SERVICES = ['patients', 'audit', 'wards', 'pharmacy', 'billing', 'clinical', 'scheduling', 'consent'] as const;
export type RoutedService = (typeof ROUTED_SERVICES)[number];

const serviceUrls = Object.fromEntries(
  ROUTED_SERVICES.map((s) => [`${s.toUpperCase()}_URL`, url({ protocols: ['http', 'https'], optional: true, description: `base URL of the ${s} service` })]),
) as Record<`${Uppercase<RoutedService>}_URL`, ReturnType<typeof url>>;

export const gatewayConfigSchema = {
  ...serviceUrls,
  HMS_ADMIN_EMAIL: str({ default: 'admin@hms.local', pattern: /^[^\s@]+@[^\s@]+$/ }),
  HMS_ADMIN_PASSWORD: str({ optional: true, secret: true, minLength: 10, description: 'the first administrator\'s password (first start only; required then)' }),
  HMS_DEFAULT_BRANCH_CODE: str({ default: 'MAIN', pattern: /^[A-Z][A-Z0-9]{1,7}$/ }),
  HMS_DEFAULT_BRANCH_NAME: str({ default: 'Main Hospital' }),
  HMS_JWT_PRIVATE_KEY: str({ optional: true, secret: true, description: 'PKCS#8 PEM of the ES256 key that signs tokens' }),
  HMS_SECRETS_KEY: str({ optional: true, secret: true, description: '32 random bytes (base64 or hex) sealing the signing key kept in the database' }),
  HMS_SECRETS_KEY_FILE: str({ optional: true, description: 'a file holding HMS_SECRETS_KEY (the launcher generates one in its data folder)' }),
  ACCESS_TOKEN_TTL_SECONDS: int({ min: 60, max: 86_400, default: 900 }),
  REFRESH_TOKEN_TTL_SECONDS: int({ min: 300, max: 90 * 86_400, default: 14 * 86_400 }),
  REFRESH_SESSION_MAX_SECONDS: int({ min: 300, max: 365 * 86_400, default: 30 * 86_400, description: 'absolute lifetime of a sign-in session, however often it is refreshed' }),
  LOGIN_RATE_LIMIT: int({ min: 1, max: 10_000, default: 30, description: 'failed sign-ins from one address (any accounts) per 15 minutes' }),
  READ_COALESCE_SECONDS: int({ min: 0, max: 3600, default: 60, description: 'identical reads of patient data by one user within this window make one audit entry with a count' }),
  UPSTREAM_TIMEOUT_MS: int({ min: 100, max: 120_000, default: 15_000 }),
};
