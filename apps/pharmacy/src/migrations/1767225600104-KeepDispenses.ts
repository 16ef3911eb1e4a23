import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0005_keep_dispenses`; its SQL is frozen here as it ran then.
 *
 * Dispense records carry the prescription (prescriber, registration number, date): kept at
 * least two years, which covers Schedule X prescriptions (DRUG-05). Nothing deletes them.
 */
export class KeepDispenses1767225600104 implements MigrationInterface {
  readonly name = 'KeepDispenses1767225600104';
  readonly legacyId = '0005_keep_dispenses';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`      CREATE FUNCTION keep_dispense() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.dispensed_at > now() - interval '2 years' THEN
          RAISE EXCEPTION 'dispense records are kept at least two years' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
      END $$;
      CREATE TRIGGER dispenses_keep BEFORE DELETE ON dispenses FOR EACH ROW EXECUTE FUNCTION keep_dispense();
      REVOKE DELETE, TRUNCATE ON dispenses FROM "hms_pharmacy";`);
  }

  async down(): Promise<void> {
    throw new Error('Pharmacy migrations go forward only: write a new migration that undoes this one');
  }
}
