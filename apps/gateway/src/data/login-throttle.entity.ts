import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A counter or block of the sign-in throttle when no Redis is configured (table `login_throttle`). Keys are hashed. */
@Entity({ name: 'login_throttle' })
export class LoginThrottleEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'int' })
  count!: number;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
