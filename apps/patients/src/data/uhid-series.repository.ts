import { Injectable } from '@nestjs/common';
import { PG, pgCode, type Tx } from '@hms/platform-persistence';
import { UhidSeriesEntity } from './uhid-series.entity';
import { conflict } from '../domain/errors';

/** The branches' UHID series (`uhid_series`): one row per branch, made by its first registration or prefix setting. */
@Injectable()
export class UhidSeriesRepository {
  findByBranch(tx: Tx, branchId: string): Promise<UhidSeriesEntity | null> {
    return tx.manager.findOneBy(UhidSeriesEntity, { branchId });
  }

  /** The branch's series, locked until the transaction ends, so no registration takes a number meanwhile. */
  lockByBranch(tx: Tx, branchId: string): Promise<UhidSeriesEntity | null> {
    return tx.manager.findOne(UhidSeriesEntity, { where: { branchId }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Creates the branch's series with this prefix, or changes the prefix of the one it has; a
   * prefix is one branch's only. Returns the series as saved.
   */
  async savePrefix(tx: Tx, branchId: string, prefix: string): Promise<{ prefix: string; nextValue: number }> {
    try {
      const result = await tx.manager
        .createQueryBuilder()
        .insert()
        .into(UhidSeriesEntity)
        .values({ branchId, prefix })
        .orUpdate(['prefix', 'updated_at'], ['branch_id'])
        .returning(['nextValue'])
        .updateEntity(false)
        .execute();
      const [row] = result.raw as { next_value: string }[];
      return { prefix, nextValue: Number(row.next_value) };
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation) throw conflict('uhid-prefix-taken', `Another branch uses the prefix ${prefix}`);
      throw error;
    }
  }

  /**
   * Takes the branch's next number (starting the series with `defaultPrefix` if it has none)
   * and returns it with the prefix. The series row stays locked until the registration commits,
   * and a rollback returns the number: UHIDs are unique and gap-free.
   */
  async takeNext(tx: Tx, branchId: string, defaultPrefix: string): Promise<{ prefix: string; value: number }> {
    const take = 'UPDATE uhid_series SET next_value = next_value + 1, updated_at = now() WHERE branch_id = $1 RETURNING prefix, next_value - 1 AS value';
    let row = await tx.maybeOne<{ prefix: string; value: string }>(take, [branchId]);
    if (!row) {
      await tx.query('INSERT INTO uhid_series (branch_id, prefix) VALUES ($1, $2) ON CONFLICT (branch_id) DO NOTHING', [branchId, defaultPrefix]);
      row = await tx.one<{ prefix: string; value: string }>(take, [branchId]);
    }
    return { prefix: row.prefix, value: Number(row.value) };
  }
}
