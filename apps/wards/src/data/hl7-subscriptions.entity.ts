import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './columns';

/** A system reading the branch's ADT feed, with its cursor (the last sequence number it acknowledged). */
@Entity({ name: 'hl7_subscriptions' })
export class Hl7SubscriptionEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ name: 'acknowledged_seq', type: 'bigint', transformer: bigintAsNumber }) acknowledgedSeq!: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
