import { runService, type RunOptions, type RunningService, type ServiceDefinition } from '@hms/platform-service';
import { TestIdentity, createTestDatabase, httpClient, type HttpClient, type TestDatabase } from '@hms/platform-testing';

export interface ServiceHarness {
  db: TestDatabase;
  identity: TestIdentity;
  service: RunningService;
  http: HttpClient;
  stop(): Promise<void>;
}

/**
 * One service in-process against its own fresh database on the real server, with real HTTP,
 * real token verification (a test JWKS) and the postgres event transport.
 */
export async function startServiceForTest(
  definition: ServiceDefinition,
  label: string,
  env: Record<string, string> = {},
  overrides: Pick<RunOptions, 'clock' | 'ids'> = {},
): Promise<ServiceHarness> {
  const db = await createTestDatabase(label);
  const identity = await TestIdentity.start();
  const service = await runService(definition, {
    ...overrides,
    port: 0,
    env: { ...process.env, DATABASE_URL: db.url, AUTH_JWKS_URL: identity.jwksUrl, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', DB_POOL_SIZE: '20', ...env },
  });
  return {
    db,
    identity,
    service,
    http: httpClient(service.url),
    async stop() {
      await service.close();
      await identity.stop();
      await db.drop();
    },
  };
}
