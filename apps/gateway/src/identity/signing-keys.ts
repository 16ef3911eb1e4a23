import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, importPKCS8, type JWK, type KeyLike } from 'jose';
import { createPublicKey } from 'node:crypto';
import { ConfigError } from '@hms/platform-config';
import type { Database } from '@hms/platform-persistence';
import { isSealed, type SecretBox, type SealedSecret } from '../security/secret-box';

export interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  publicKey: KeyLike;
  publicJwk: JWK;
}

const context = (kid: string) => `hms-gateway-signing-key:${kid}`;

/**
 * The ES256 key that signs access tokens: from HMS_JWT_PRIVATE_KEY when set (production, from a
 * secret store), otherwise created once and kept in the gateway's schema, sealed with the secrets
 * key (HMS_SECRETS_KEY or HMS_SECRETS_KEY_FILE), so restarts keep it and the table alone is of no
 * use to whoever reads it. A key an earlier version kept in clear is sealed on the next start.
 */
export async function loadSigningKey(db: Database, pem: string | undefined, box: SecretBox | null): Promise<SigningKey> {
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
  // The service role has no grant on signing_keys: only this start-up code, as the schema owner, reads it.
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('hms-gateway-signing-key'))`);
    const existing = (
      await client.query<{ kid: string; private_jwk: JWK | SealedSecret; public_jwk: JWK }>(
        `SELECT kid, private_jwk, public_jwk FROM "${db.schema}".signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1`,
      )
    ).rows[0];
    if (existing) {
      let privateJwk: JWK;
      if (isSealed(existing.private_jwk)) {
        try {
          privateJwk = JSON.parse(box.open(existing.private_jwk, context(existing.kid))) as JWK;
        } catch {
          throw new ConfigError(['the secrets key (HMS_SECRETS_KEY or HMS_SECRETS_KEY_FILE) does not open the stored signing key: it is not the key it was sealed with']);
        }
      } else {
        privateJwk = existing.private_jwk;
        await client.query(`UPDATE "${db.schema}".signing_keys SET private_jwk = $2 WHERE kid = $1`, [existing.kid, box.seal(JSON.stringify(privateJwk), context(existing.kid))]);
      }
      await client.query('COMMIT');
      return {
        kid: existing.kid,
        privateKey: (await importJWK(privateJwk, 'ES256')) as KeyLike,
        publicKey: (await importJWK(existing.public_jwk, 'ES256')) as KeyLike,
        publicJwk: existing.public_jwk,
      };
    }
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const pub = { ...publicJwk, kid, alg: 'ES256', use: 'sig' };
    const sealed = box.seal(JSON.stringify(await exportJWK(privateKey)), context(kid));
    await client.query(`INSERT INTO "${db.schema}".signing_keys (kid, private_jwk, public_jwk) VALUES ($1, $2, $3)`, [kid, sealed, pub]);
    await client.query('COMMIT');
    return { kid, privateKey, publicKey, publicJwk: pub };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
