import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import type { Tx } from '@hms/platform-persistence';
import { SigningKeyEntity } from './signing-key.entity';

/**
 * Token signing keys (table `signing_keys`). The service role has no grant on the table: only
 * the start-up code, as the schema owner, works with it.
 */
@Injectable()
export class SigningKeysRepository {
  /** Holds the start-up lock on the keys until the transaction ends: one process creates the key. */
  async lock(tx: Tx): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('hms-gateway-signing-key'))`);
  }

  /** The newest key not retired. */
  current(tx: Tx): Promise<SigningKeyEntity | null> {
    return tx.manager.findOne(SigningKeyEntity, { where: { retiredAt: IsNull() }, order: { createdAt: 'DESC' } });
  }

  async insert(tx: Tx, key: Pick<SigningKeyEntity, 'kid' | 'privateJwk' | 'publicJwk'>): Promise<void> {
    await tx.manager.insert(SigningKeyEntity, key);
  }

  async replacePrivateKey(tx: Tx, kid: string, privateJwk: object): Promise<void> {
    await tx.manager.update(SigningKeyEntity, { kid }, { privateJwk });
  }
}
