import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The platform's secrets key on a single machine: 32 random bytes in `<data>/secrets.key`
 * (mode 600), created on the first start. The gateway seals its signing key with it, and the
 * launcher derives each service's database password from it, so the data folder holds one
 * secret rather than one per service.
 */
export function ensureSecretsKeyFile(dataDir: string): string {
  const file = path.join(dataDir, 'secrets.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return file;
}

export function readSecretsKey(options: { inline?: string; file?: string }): Buffer {
  const text = (options.inline ?? fs.readFileSync(options.file ?? '', 'utf8')).trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) throw new Error('the secrets key must be 32 bytes (base64 or hex)');
  return key;
}

/** A service's database password, derived from the secrets key (the same on every start). */
export function databasePassword(key: Buffer, service: string): string {
  return createHmac('sha256', key).update(`hms-database-login:${service}`).digest('base64url');
}

/** A password for the first administrator: letters, digits and a symbol, about 100 bits. */
export function generateAdminPassword(): string {
  return `${randomBytes(12).toString('base64url')}-${randomBytes(2).readUInt16BE() % 90 + 10}`;
}
