import type { JWK, KeyLike } from 'jose';

/** The key that signs this gateway's access tokens. */
export interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  publicKey: KeyLike;
  publicJwk: JWK;
}

/** Provides the SigningKey. */
export const SIGNING_KEY = Symbol('SIGNING_KEY');
