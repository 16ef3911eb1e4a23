import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, importPKCS8, type JWK, type KeyLike } from 'jose';
import { createPublicKey } from 'node:crypto';
import { ConfigError } from '@hms/platform-config';
import { Database } from '@hms/platform-persistence';
import { SigningKeysRepository } from '../data/signing-keys.repository';
import { isSealed, type SecretBox } from '../security/secret-box';
import type { SigningKey } from './signing-key';

const context = (kid: string) => `hms-gateway-signing-key:${kid}`;

/**
 * The ES256 key that signs access tokens: from HMS_JWT_PRIVATE_KEY when set (production, from a
 * secret store), otherwise created once and kept in the gateway's schema, sealed with the secrets
 * key (HMS_SECRETS_KEY or HMS_SECRETS_KEY_FILE), so restarts keep it and the table alone is of no
 * use to whoever reads it. A key an earlier version kept in clear is sealed on the next start.
 *
 * Runs at start-up, before the Nest application exists. The service role has no grant on
 * signing_keys: the key is read as the schema owner (the pool's own login, no SET ROLE).
 */
export class LoadSigningKeyUseCase {
  private readonly owner: Database;

  constructor(
    db: Database,
    private readonly keys = new SigningKeysRepository(),
  ) {
    this.owner = new Database(db.pool, { schema: db.schema, role: null, dataSource: db.dataSource });
  }

  async execute(pem: string | undefined, box: SecretBox | null): Promise<SigningKey> {
    if (pem) {
      const privateKey = await importPKCS8(pem, 'ES256');
      const publicJwk = await exportJWK(createPublicKey(pem));
      const kid = await calculateJwkThumbprint(publicJwk);
      return { kid, privateKey, publicKey: createPublicKey(pem), publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' } };
    }
    if (!box) {
      throw new ConfigError([
        'HMS_SECRETS_KEY or HMS_SECRETS_KEY_FILE is required to keep the token signing key in the database (or give the key itself in HMS_JWT_PRIVATE_KEY)',
      ]);
    }
    return this.owner.transaction('all', async (tx) => {
      await this.keys.lock(tx);
      const existing = await this.keys.current(tx);
      if (existing) {
        let privateJwk: JWK;
        if (isSealed(existing.privateJwk)) {
          try {
            privateJwk = JSON.parse(box.open(existing.privateJwk, context(existing.kid))) as JWK;
          } catch {
            throw new ConfigError(['the secrets key (HMS_SECRETS_KEY or HMS_SECRETS_KEY_FILE) does not open the stored signing key: it is not the key it was sealed with']);
          }
        } else {
          privateJwk = existing.privateJwk as JWK;
          await this.keys.replacePrivateKey(tx, existing.kid, box.seal(JSON.stringify(privateJwk), context(existing.kid)));
        }
        const publicJwk = existing.publicJwk;
        return {
          kid: existing.kid,
          privateKey: (await importJWK(privateJwk, 'ES256')) as KeyLike,
          publicKey: (await importJWK(publicJwk, 'ES256')) as KeyLike,
          publicJwk,
        };
      }
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      const publicJwk = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(publicJwk);
      const pub = { ...publicJwk, kid, alg: 'ES256', use: 'sig' };
      const sealed = box.seal(JSON.stringify(await exportJWK(privateKey)), context(kid));
      await this.keys.insert(tx, { kid, privateJwk: sealed, publicJwk: pub });
      return { kid, privateKey, publicKey, publicJwk: pub };
    });
  }
}
