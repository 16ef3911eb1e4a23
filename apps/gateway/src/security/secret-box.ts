import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { ConfigError } from '@hms/platform-config';

/** A secret sealed with AES-256-GCM, as kept in the database. */
export interface SealedSecret {
  alg: 'A256GCM';
  iv: string;
  tag: string;
  data: string;
}

/**
 * Seals secrets the gateway must keep in its database (the token signing key) with a key that
 * is not in the database: `HMS_SECRETS_KEY`, or the file named by `HMS_SECRETS_KEY_FILE` (the
 * launcher generates one in the data folder). Someone who reads the table without that key
 * cannot sign tokens.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** The box from the configured key, or null when none is configured. */
  static fromConfig(inline: string | undefined, file: string | undefined): SecretBox | null {
    if (inline && file) throw new ConfigError(['set HMS_SECRETS_KEY or HMS_SECRETS_KEY_FILE, not both']);
    let text = inline;
    if (file) {
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        throw new ConfigError([`HMS_SECRETS_KEY_FILE names ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
      }
    }
    if (text === undefined) return null;
    const key = decodeKey(text.trim());
    if (!key) {
      throw new ConfigError([
        `${file ? 'HMS_SECRETS_KEY_FILE' : 'HMS_SECRETS_KEY'} must hold 32 random bytes as 64 hex digits or base64 (e.g. the output of: openssl rand -base64 32)`,
      ]);
    }
    return new SecretBox(key);
  }

  seal(plain: string, context: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return { alg: 'A256GCM', iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), data: data.toString('base64url') };
  }

  /** Opens a sealed secret; a wrong key or a tampered value throws. */
  open(sealed: SealedSecret, context: string): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64url')), decipher.final()]).toString('utf8');
  }
}

export const isSealed = (value: unknown): value is SealedSecret =>
  typeof value === 'object' && value !== null && (value as { alg?: unknown }).alg === 'A256GCM' && typeof (value as { data?: unknown }).data === 'string';

function decodeKey(text: string): Buffer | null {
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return key.length === 32 ? key : null;
  }
  return null;
}
