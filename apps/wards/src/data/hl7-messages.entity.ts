import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AdtTrigger } from '../domain/hl7';
import { bigintAsNumber } from './columns';

/** One HL7 v2 ADT message of the feed; `seq` (taken under the branch's feed lock) orders the branch's feed. */
@Entity({ name: 'hl7_messages' })
export class Hl7MessageEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber }) seq!: number;
  @Column({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  @Column({ name: 'event_id', type: 'uuid' }) eventId!: string;
  @Column({ name: 'trigger_event', type: 'text' }) triggerEvent!: AdtTrigger;
  @Column({ name: 'control_id', type: 'text' }) controlId!: string;
  @Column({ name: 'admission_id', type: 'uuid' }) admissionId!: string;
  @Column({ type: 'text' }) message!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
