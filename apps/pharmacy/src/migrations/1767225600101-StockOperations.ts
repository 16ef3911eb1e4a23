import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0002_stock_operations`; its SQL is frozen here as it ran then.
 */
export class StockOperations1767225600101 implements MigrationInterface {
  readonly name = 'StockOperations1767225600101';
  readonly legacyId = '0002_stock_operations';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`      -- Who received an in-transit transfer; the ledger's transfer-in rows say the same per batch.
      ALTER TABLE transfers ADD COLUMN received_by text;
      ALTER TABLE transfers ADD CONSTRAINT transfers_received_complete
        CHECK ((status = 'received') = (received_at IS NOT NULL));
      CREATE INDEX transfers_status ON transfers (branch_id, status, sent_at, id);

      -- A batch's movements across stores (the existing ledger indexes lead with the store or item).
      CREATE INDEX stock_ledger_batch_history ON stock_ledger (branch_id, batch_id, id);
      -- Every batch of an item in a store, empty ones included, as the stock operations lock them.
      CREATE INDEX stock_balances_item ON stock_balances (store_id, item_id);

      -- Adjustments, stock takes and expiry write-offs: who, where, why. Quantities are in the ledger.
      CREATE TABLE stock_adjustments (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        store_id uuid NOT NULL REFERENCES stores (id),
        kind text NOT NULL CHECK (kind IN ('adjustment', 'stock-take', 'expiry-write-off')),
        reason text NOT NULL CHECK (length(trim(reason)) > 0),
        at timestamptz NOT NULL,
        created_by text NOT NULL
      );
      
    ALTER TABLE stock_adjustments ENABLE ROW LEVEL SECURITY;
    ALTER TABLE stock_adjustments FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON stock_adjustments
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      CREATE TRIGGER stock_adjustments_append_only BEFORE UPDATE OR DELETE ON stock_adjustments FOR EACH ROW EXECUTE FUNCTION refuse_change();
      REVOKE UPDATE, DELETE, TRUNCATE ON stock_adjustments FROM "hms_pharmacy";

      -- What was counted in a stock take, beside what the balance said at that moment.
      CREATE TABLE stock_take_counts (
        stock_take_id uuid NOT NULL REFERENCES stock_adjustments (id),
        batch_id uuid NOT NULL REFERENCES batches (id),
        branch_id uuid NOT NULL,
        item_id uuid NOT NULL REFERENCES items (id),
        on_hand int NOT NULL CHECK (on_hand >= 0),
        counted int NOT NULL CHECK (counted >= 0),
        PRIMARY KEY (stock_take_id, batch_id)
      );
      
    ALTER TABLE stock_take_counts ENABLE ROW LEVEL SECURITY;
    ALTER TABLE stock_take_counts FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON stock_take_counts
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      CREATE TRIGGER stock_take_counts_append_only BEFORE UPDATE OR DELETE ON stock_take_counts FOR EACH ROW EXECUTE FUNCTION refuse_change();
      REVOKE UPDATE, DELETE, TRUNCATE ON stock_take_counts FROM "hms_pharmacy";

      -- Returns: a patient's against a dispense, or the store's to a supplier.
      CREATE TABLE stock_returns (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        store_id uuid NOT NULL REFERENCES stores (id),
        kind text NOT NULL CHECK (kind IN ('patient-return', 'return-to-supplier')),
        dispense_id uuid REFERENCES dispenses (id),
        supplier_id uuid REFERENCES suppliers (id),
        reason text,
        returned_at timestamptz NOT NULL,
        created_by text NOT NULL,
        CHECK ((kind = 'patient-return') = (dispense_id IS NOT NULL)),
        CHECK ((kind = 'return-to-supplier') = (supplier_id IS NOT NULL))
      );
      
    ALTER TABLE stock_returns ENABLE ROW LEVEL SECURITY;
    ALTER TABLE stock_returns FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON stock_returns
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      CREATE INDEX stock_returns_dispense ON stock_returns (dispense_id) WHERE dispense_id IS NOT NULL;
      CREATE TRIGGER stock_returns_append_only BEFORE UPDATE OR DELETE ON stock_returns FOR EACH ROW EXECUTE FUNCTION refuse_change();
      REVOKE UPDATE, DELETE, TRUNCATE ON stock_returns FROM "hms_pharmacy";`);
  }

  async down(): Promise<void> {
    throw new Error('Pharmacy migrations go forward only: write a new migration that undoes this one');
  }
}
