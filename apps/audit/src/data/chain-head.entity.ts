import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './bigint-as-number';

/**
 * The last link of the chain (table `chain_head`, one row, id 1), so that removing the newest
 * entries is detected too. Its row lock orders appends.
 */
@Entity({ name: 'chain_head' })
export class ChainHeadEntity {
  @PrimaryColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  seq!: number;

  @Column({ type: 'text' })
  hash!: string;
}
