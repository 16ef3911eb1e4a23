import { PG, pgCode, pgConstraint, type Tx } from '@hms/platform-persistence';
import type { EntityTarget, ObjectLiteral, QueryDeepPartialEntity, ValueTransformer } from 'typeorm';

/**
 * A bigint column read as a JavaScript number: pg hands bigint over as a string, and every bigint
 * of this schema (paise, sequence numbers, series values) stays far below 2^53.
 */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * Inserts rows and reads nothing back: one INSERT with no RETURNING, for the hot paths (an
 * admission writes several rows) where TypeORM's read-back would only cost time.
 */
export async function insertRows<T extends ObjectLiteral>(tx: Tx, entity: EntityTarget<T>, values: QueryDeepPartialEntity<T> | QueryDeepPartialEntity<T>[]): Promise<void> {
  await tx.manager.createQueryBuilder().insert().into(entity).values(values).updateEntity(false).execute();
}

/**
 * Runs one statement, turning a violation of the unique constraint `constraint` into `refusal`:
 * the database's last word on a race the locks did not see coming.
 */
export async function refusingDuplicate<T>(constraint: string, statement: () => Promise<T>, refusal: () => Error): Promise<T> {
  try {
    return await statement();
  } catch (error) {
    if (pgCode(error) === PG.uniqueViolation && pgConstraint(error) === constraint) throw refusal();
    throw error;
  }
}
