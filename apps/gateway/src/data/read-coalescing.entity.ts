import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PatientDataAccessedData } from '@hms/contracts-gateway';

/** Reads of patient data repeated by one user inside a window, counted into one audit entry (table `read_coalescing`). */
@Entity({ name: 'read_coalescing' })
export class ReadCoalescingEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'branch_id', type: 'uuid' })
  branchId!: string;

  @Column({ name: 'first_event_id', type: 'uuid' })
  firstEventId!: string;

  @Column({ name: 'window_ends_at', type: 'timestamptz' })
  windowEndsAt!: Date;

  @Column({ type: 'int', default: 0 })
  repeats!: number;

  @Column({ type: 'jsonb' })
  data!: { data: PatientDataAccessedData; actorName: string };
}
