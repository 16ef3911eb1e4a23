import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0003_items_by_name`; its SQL is frozen here as it ran then.
 *
 * A store's stock page is ordered by item name: walking items in that order stops after a
 * page instead of sorting every balance of the store.
 */
export class ItemsByName1767225600102 implements MigrationInterface {
  readonly name = 'ItemsByName1767225600102';
  readonly legacyId = '0003_items_by_name';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX items_by_name ON items (branch_id, generic_name, id);`);
  }

  async down(): Promise<void> {
    throw new Error('Pharmacy migrations go forward only: write a new migration that undoes this one');
  }
}
