import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './bigint-as-number';

/** One link of the audit trail (table `entries`): append-only, guarded by a trigger. */
@Entity({ name: 'entries' })
export class AuditEntryEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber })
  seq!: number;

  @Column({ type: 'uuid' })
  id!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  /** Set by the database (`DEFAULT now()`) when the entry is appended. */
  @Column({ name: 'recorded_at', type: 'timestamptz', insert: false, update: false })
  recordedAt!: Date;

  @Column({ name: 'branch_id', type: 'uuid', nullable: true })
  branchId!: string | null;

  @Column({ name: 'actor_type', type: 'text' })
  actorType!: 'user' | 'system';

  @Column({ name: 'actor_id', type: 'text' })
  actorId!: string;

  @Column({ name: 'patient_ids', type: 'uuid', array: true })
  patientIds!: string[];

  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId!: string | null;

  /** The event's payload as jsonb (JSON null for an event without one). */
  @Column({ type: 'jsonb' })
  data!: unknown;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash!: string;

  @Column({ type: 'text' })
  hash!: string;
}
