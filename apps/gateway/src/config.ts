import { int, str, url } from '@hms/platform-config';

/** Services the gateway routes to: `/api/v1/<name>/...` goes to `<NAME>_URL`. */
export const ROUTED_SERVICES = ['patients', 'audit', 'wards', 'pharmacy', 'billing', 'clinical', 'scheduling', 'consent'] as const;
export type RoutedService = (typeof ROUTED_SERVICES)[number];

const serviceUrls = Object.fromEntries(
  ROUTED_SERVICES.map((s) => [`${s.toUpperCase()}_URL`, url({ protocols: ['http', 'https'], optional: true, description: `base URL of the ${s} service` })]),
) as Record<`${Uppercase<RoutedService>}_URL`, ReturnType<typeof url>>;

export const gatewayConfigSchema = {
  ...serviceUrls,
  REDIS_URL: url({ protocols: ['redis', 'rediss'], optional: true, description: 'Redis for rate limits and token revocation' }),
  HMS_ADMIN_EMAIL: str({ default: 'admin@hms.local', pattern: /^[^\s@]+@[^\s@]+$/ }),
  HMS_ADMIN_PASSWORD: str({ default: 'Admin-Pass-2026!', secret: true, minLength: 10 }),
  HMS_DEFAULT_BRANCH_CODE: str({ default: 'MAIN', pattern: /^[A-Z][A-Z0-9]{1,7}$/ }),
  HMS_DEFAULT_BRANCH_NAME: str({ default: 'Main Hospital' }),
  HMS_JWT_PRIVATE_KEY: str({ optional: true, secret: true, description: 'PKCS#8 PEM of the ES256 key that signs tokens' }),
  ACCESS_TOKEN_TTL_SECONDS: int({ min: 60, max: 86_400, default: 900 }),
  REFRESH_TOKEN_TTL_SECONDS: int({ min: 300, max: 90 * 86_400, default: 14 * 86_400 }),
  LOGIN_RATE_LIMIT: int({ min: 1, max: 10_000, default: 10, description: 'sign-in attempts per minute per account and address' }),
  UPSTREAM_TIMEOUT_MS: int({ min: 100, max: 120_000, default: 15_000 }),
};
