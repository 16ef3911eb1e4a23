import path from 'node:path';
import { httpClient, type HttpClient, type TestDatabase } from '@hms/platform-testing';
import type { RunningPlatform } from '../../tools/launcher/platform';
import { startScratchPlatform } from '../../tools/launcher/scratch';

const root = path.resolve(__dirname, '..', '..');

export interface E2ePlatform {
  db: TestDatabase;
  platform: RunningPlatform;
  gw: HttpClient;
  login(email: string, password: string): Promise<{ accessToken: string; refreshToken: string }>;
  stop(): Promise<void>;
}

/**
 * The whole platform as real processes on the postgres transport, on a database of the test
 * file's own, each app logging in as its own role (as `npm start` does), with the given
 * first-start administrator; driven through the gateway only.
 */
export async function startE2ePlatform(testFile: string, admin: { email: string; password: string }, env: Record<string, string | undefined> = {}): Promise<E2ePlatform> {
  const { db, platform, stop } = await startScratchPlatform({
    label: testFile,
    root,
    logFolder: 'e2e-logs',
    env: { HMS_ADMIN_EMAIL: admin.email, HMS_ADMIN_PASSWORD: admin.password, LOG_LEVEL: 'info', LOGIN_RATE_LIMIT: '1000', ...env },
  });
  const gw = httpClient(platform.gatewayUrl);
  return {
    db,
    platform,
    gw,
    async login(email, password) {
      const r = await gw.post('/api/v1/auth/login', { email, password });
      if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${r.text}`);
      return r.body;
    },
    stop,
  };
}
