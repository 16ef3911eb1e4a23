import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0002_trgm_leakproof`; its SQL is frozen here as it ran then.
 *
 * Under row-level security PostgreSQL uses an operator inside an index scan only if it is
 * leakproof; pg_trgm's % is not marked so, which turns a search for a rare name into a walk
 * of the whole table. Marking it needs a superuser: where the migrator is not one, the
 * service falls back to a bounded nearest-neighbour search (see patients.service.ts).
 */
export class TrgmLeakproof1767225600101 implements MigrationInterface {
  readonly name = 'TrgmLeakproof1767225600101';
  readonly legacyId = '0002_trgm_leakproof';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`      DO $$
      BEGIN
        ALTER FUNCTION public.similarity_op(text, text) LEAKPROOF;
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'pg_trgm similarity_op left as it is (not a superuser): fuzzy search uses the bounded plan';
      END $$;`);
  }

  async down(): Promise<void> {
    throw new Error('Patients migrations go forward only: write a new migration that undoes this one');
  }
}
