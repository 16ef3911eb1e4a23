import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@hms/platform-testing';
import { APP_NAMES, freePortBlock, provisionLogins, startPlatform, type RunningPlatform } from './platform';
import { ensureSecretsKeyFile, readSecretsKey } from './secrets';

export interface ScratchPlatform {
  db: TestDatabase;
  platform: RunningPlatform;
  /** Stops every app, then drops the database. */
  stop(): Promise<void>;
}

/**
 * The whole platform as real processes on a scratch database of its own (on the PostgreSQL the
 * tests use), each app logging in as its own role as `npm start` does, on free ports. What the
 * end-to-end tests and `npm run openapi` start.
 */
export async function startScratchPlatform(options: {
  /** Names the database (a test file's path, or a tool's name). */
  label: string;
  /** Repository root (where dist/ is). */
  root: string;
  /** Logs and the secrets key file go under `<root>/tmp/<logFolder>/<database name>`. */
  logFolder: string;
  env: Record<string, string | undefined>;
}): Promise<ScratchPlatform> {
  const db = await createTestDatabase(options.label);
  try {
    const logDir = path.join(options.root, 'tmp', options.logFolder, db.name);
    const secretsKeyFile = ensureSecretsKeyFile(logDir);
    const platform = await startPlatform({
      databaseUrl: db.url,
      serviceDatabaseUrls: await provisionLogins(db.url, readSecretsKey({ file: secretsKeyFile })),
      secretsKeyFile,
      port: await freePortBlock(APP_NAMES.length),
      root: options.root,
      logDir,
      env: options.env,
    });
    return {
      db,
      platform,
      async stop() {
        try {
          await platform.stop();
        } finally {
          await db.drop();
        }
      },
    };
  } catch (error) {
    await db.drop();
    throw error;
  }
}
