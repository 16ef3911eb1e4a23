import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0000_messaging_02_dead_letter_branch`; its SQL is frozen here as it ran then.
 */
export class Messaging02DeadLetterBranch1767225600002 implements MigrationInterface {
  readonly name = 'Messaging02DeadLetterBranch1767225600002';
  readonly legacyId = '0000_messaging_02_dead_letter_branch';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`      -- Dead letters are listed per branch: a branch's admin sees those of events about their branch.
      ALTER TABLE dead_letters ADD COLUMN branch_id uuid;
      UPDATE dead_letters SET branch_id = (envelope->>'branchId')::uuid
        WHERE envelope->>'branchId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
      CREATE INDEX dead_letters_branch ON dead_letters (branch_id, id);`);
  }

  async down(): Promise<void> {
    throw new Error('Messaging migrations go forward only: write a new migration that undoes this one');
  }
}
