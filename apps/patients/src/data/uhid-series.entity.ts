import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A branch's UHID series: its prefix and the number the next registration takes. */
@Entity({ name: 'uhid_series' })
export class UhidSeriesEntity {
  @PrimaryColumn({ name: 'branch_id', type: 'uuid' }) branchId!: string;
  /** 2–8 capital letters or digits, starting with a letter; unique across branches. */
  @Column({ type: 'text' }) prefix!: string;
  /** bigint: node-postgres reads it as a string, the transformer makes it a number (UHIDs stay far below 2^53). */
  @Column({ name: 'next_value', type: 'bigint', default: 1, transformer: { to: (v: number | undefined) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  nextValue!: number;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
