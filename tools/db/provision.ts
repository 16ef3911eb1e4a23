/**
 * Prepares the platform database for services that each log in as their own role (see
 * provisionDatabase): run at every deployment with an administrator's URL, before the apps
 * start. Production (a Kubernetes Job, a compose one-shot) gives each service's password;
 * a single machine may derive them all from the secrets key instead, as `npm start` does.
 *
 *   DATABASE_ADMIN_URL=postgres://admin:…@db:5432/hms \
 *   GATEWAY_DB_PASSWORD=… PATIENTS_DB_PASSWORD=… AUDIT_DB_PASSWORD=… WARDS_DB_PASSWORD=… PHARMACY_DB_PASSWORD=… \
 *   node -r ./dist/tools/runtime/register-paths.js dist/tools/db/provision.js
 *
 * Prints the login of each service, never a password.
 */
import '../runtime/register-paths';
import { ConfigError, loadConfig, str, url } from '@hms/platform-config';
import { provisionDatabase } from '@hms/platform-service';
import { APP_NAMES } from '../launcher/platform';
import { databasePassword, readSecretsKey } from '../launcher/secrets';

const schema = {
  DATABASE_ADMIN_URL: url({ protocols: ['postgres', 'postgresql'], description: 'an administrator of the platform database (creates roles and schemas)' }),
  HMS_SECRETS_KEY: str({ optional: true, secret: true }),
  HMS_SECRETS_KEY_FILE: str({ optional: true }),
  ...Object.fromEntries(APP_NAMES.map((app) => [`${app.toUpperCase()}_DB_PASSWORD`, str({ optional: true, secret: true, minLength: 16 })])),
};

async function main(): Promise<void> {
  const config = loadConfig(schema) as Record<string, string | undefined>;
  const key = config.HMS_SECRETS_KEY || config.HMS_SECRETS_KEY_FILE ? readSecretsKey({ inline: config.HMS_SECRETS_KEY, file: config.HMS_SECRETS_KEY_FILE }) : null;
  const passwordOf = (service: string): string => {
    const given = config[`${service.toUpperCase()}_DB_PASSWORD`];
    if (given) return given;
    if (key) return databasePassword(key, service);
    throw new ConfigError([`${service.toUpperCase()}_DB_PASSWORD is required (or HMS_SECRETS_KEY / HMS_SECRETS_KEY_FILE to derive every password)`]);
  };
  for (const app of APP_NAMES) passwordOf(app);
  const logins = await provisionDatabase(config.DATABASE_ADMIN_URL as string, APP_NAMES, passwordOf);
  for (const l of logins) process.stdout.write(`${l.service}: logs in as ${l.role}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`provisioning failed: ${error.name === 'ConfigError' ? error.message : (error.stack ?? error.message)}\n`);
  process.exit(1);
});
