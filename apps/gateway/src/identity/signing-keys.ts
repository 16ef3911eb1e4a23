import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, importPKCS8, type JWK, type KeyLike } from 'jose';
import { createPublicKey } from 'node:crypto';
import type { Database } from '@hms/platform-persistence';

export interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  publicKey: KeyLike;
  publicJwk: JWK;
}

/**
 * The ES256 key that signs access tokens: from HMS_JWT_PRIVATE_KEY when set (production, from a
 * secret store), otherwise created once and kept in the gateway's schema so restarts keep it.
 */
export async function loadSigningKey(db: Database, pem: string | undefined): Promise<SigningKey> {
  if (pem) {
    const privateKey = await importPKCS8(pem, 'ES256');
    const publicJwk = await exportJWK(createPublicKey(pem));
    const kid = await calculateJwkThumbprint(publicJwk);
    return { kid, privateKey, publicKey: createPublicKey(pem), publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' } };
  }
  // The service role has no grant on signing_keys: only this start-up code, as the schema owner, reads it.
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('hms-gateway-signing-key'))`);
    const existing = (
      await client.query<{ kid: string; private_jwk: JWK; public_jwk: JWK }>(
        `SELECT kid, private_jwk, public_jwk FROM "${db.schema}".signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1`,
      )
    ).rows[0];
    if (existing) {
      await client.query('COMMIT');
      return {
        kid: existing.kid,
        privateKey: (await importJWK(existing.private_jwk, 'ES256')) as KeyLike,
        publicKey: (await importJWK(existing.public_jwk, 'ES256')) as KeyLike,
        publicJwk: existing.public_jwk,
      };
    }
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const pub = { ...publicJwk, kid, alg: 'ES256', use: 'sig' };
    await client.query(`INSERT INTO "${db.schema}".signing_keys (kid, private_jwk, public_jwk) VALUES ($1, $2, $3)`, [kid, await exportJWK(privateKey), pub]);
    await client.query('COMMIT');
    return { kid, privateKey, publicKey, publicJwk: pub };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
