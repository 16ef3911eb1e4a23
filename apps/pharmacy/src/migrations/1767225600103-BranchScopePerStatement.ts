import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0004_branch_scope_per_statement`; its SQL is frozen here as it ran then.
 */
export class BranchScopePerStatement1767225600103 implements MigrationInterface {
  readonly name = 'BranchScopePerStatement1767225600103';
  readonly legacyId = '0004_branch_scope_per_statement';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`    DO $$
    DECLARE t record;
    BEGIN
      FOR t IN SELECT tablename FROM pg_policies WHERE schemaname = current_schema() AND policyname = 'branch_scope' LOOP
        EXECUTE format('ALTER POLICY branch_scope ON %I USING ((SELECT current_setting(''hms.all_branches'', true)) = ''on''
             OR branch_id = (SELECT nullif(current_setting(''hms.branch_id'', true), '''')::uuid)) WITH CHECK ((SELECT current_setting(''hms.all_branches'', true)) = ''on''
             OR branch_id = (SELECT nullif(current_setting(''hms.branch_id'', true), '''')::uuid))', t.tablename);
      END LOOP;
    END $$;`);
  }

  async down(): Promise<void> {
    throw new Error('Pharmacy migrations go forward only: write a new migration that undoes this one');
  }
}
