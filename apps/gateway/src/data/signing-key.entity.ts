import type { JWK } from 'jose';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A token signing key (table `signing_keys`). The private key is sealed (see SecretBox); only the
 * schema owner reads the table, never the service role.
 */
@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'text' })
  kid!: string;

  /** A SealedSecret; a plain JWK only as an earlier version kept it (sealed on the next start). */
  @Column({ name: 'private_jwk', type: 'jsonb' })
  privateJwk!: object;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: JWK;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt!: Date;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}
