import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { BedState } from '@hms/contracts-wards';

/** One change of a bed's state; `id` (bigserial) orders a bed's history. */
@Entity({ name: 'bed_state_history' })
export class BedStateHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'bed_id', type: 'uuid' }) bedId!: string;
  @Column({ name: 'from_state', type: 'text', nullable: true }) fromState!: BedState | null;
  @Column({ name: 'to_state', type: 'text' }) toState!: BedState;
  @Column({ type: 'timestamptz' }) at!: Date;
  @Column({ name: 'actor_id', type: 'text' }) actorId!: string;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ name: 'admission_id', type: 'uuid', nullable: true }) admissionId!: string | null;
}
