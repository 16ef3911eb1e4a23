import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applied by the earlier runner as `0001_pharmacy`; its SQL is frozen here as it ran then.
 */
export class Pharmacy1767225600100 implements MigrationInterface {
  readonly name = 'Pharmacy1767225600100';
  readonly legacyId = '0001_pharmacy';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`      CREATE TABLE items (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        code text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,29}$'),
        kind text NOT NULL CHECK (kind IN ('drug', 'consumable')),
        generic_name text NOT NULL CHECK (length(generic_name) BETWEEN 1 AND 200),
        brand_name text,
        form text NOT NULL,
        strength text,
        unit text NOT NULL,
        pack_size int NOT NULL CHECK (pack_size >= 1),
        hsn text NOT NULL CHECK (hsn ~ '^[0-9]{4}([0-9]{2}){0,2}$'),
        schedule text NOT NULL CHECK (schedule IN ('NONE', 'G', 'H', 'H1', 'X', 'NDPS')),
        retired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (branch_id, code)
      );
      
    ALTER TABLE items ENABLE ROW LEVEL SECURITY;
    ALTER TABLE items FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON items
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      CREATE INDEX items_names ON items (branch_id, lower(generic_name), lower(brand_name));

      -- GST rates change over time (GST-05): a sale uses the rate in force on its day.
      CREATE TABLE item_gst_rates (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        item_id uuid NOT NULL REFERENCES items (id),
        effective_from date NOT NULL,
        rate_bp int NOT NULL CHECK (rate_bp BETWEEN 0 AND 2800),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (item_id, effective_from)
      );
      
    ALTER TABLE item_gst_rates ENABLE ROW LEVEL SECURITY;
    ALTER TABLE item_gst_rates FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON item_gst_rates
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);

      CREATE TABLE stores (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        code text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('main', 'pharmacy', 'ward')),
        ward_id uuid,
        retired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (branch_id, code)
      );
      
    ALTER TABLE stores ENABLE ROW LEVEL SECURITY;
    ALTER TABLE stores FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON stores
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);

      CREATE TABLE reorder_levels (
        store_id uuid NOT NULL REFERENCES stores (id),
        item_id uuid NOT NULL REFERENCES items (id),
        branch_id uuid NOT NULL,
        reorder_level int NOT NULL CHECK (reorder_level >= 0),
        reorder_quantity int NOT NULL CHECK (reorder_quantity >= 0),
        PRIMARY KEY (store_id, item_id)
      );
      
    ALTER TABLE reorder_levels ENABLE ROW LEVEL SECURITY;
    ALTER TABLE reorder_levels FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON reorder_levels
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);

      CREATE TABLE suppliers (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        name text NOT NULL,
        gstin text NOT NULL CHECK (gstin ~ '^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$'),
        state_code text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (branch_id, gstin)
      );
      
    ALTER TABLE suppliers ENABLE ROW LEVEL SECURITY;
    ALTER TABLE suppliers FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON suppliers
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);

      CREATE TABLE goods_receipts (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        store_id uuid NOT NULL REFERENCES stores (id),
        supplier_id uuid NOT NULL REFERENCES suppliers (id),
        invoice_number text NOT NULL,
        invoice_date date NOT NULL,
        received_at timestamptz NOT NULL,
        received_on date NOT NULL,
        created_by text NOT NULL,
        UNIQUE (branch_id, supplier_id, invoice_number)
      );
      
    ALTER TABLE goods_receipts ENABLE ROW LEVEL SECURITY;
    ALTER TABLE goods_receipts FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON goods_receipts
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);

      -- A batch of an item from the manufacturer; its stock is counted per store.
      CREATE TABLE batches (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        item_id uuid NOT NULL REFERENCES items (id),
        batch_no text NOT NULL,
        expiry date NOT NULL,
        mrp_paise bigint NOT NULL CHECK (mrp_paise >= 0),
        purchase_rate_paise bigint NOT NULL CHECK (purchase_rate_paise >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (item_id, batch_no)
      );
      
    ALTER TABLE batches ENABLE ROW LEVEL SECURITY;
    ALTER TABLE batches FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON batches
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);

      -- Every movement is a row; nothing here is ever changed or removed.
      CREATE TABLE stock_ledger (
        id bigserial PRIMARY KEY,
        branch_id uuid NOT NULL,
        store_id uuid NOT NULL REFERENCES stores (id),
        item_id uuid NOT NULL REFERENCES items (id),
        batch_id uuid NOT NULL REFERENCES batches (id),
        movement text NOT NULL CHECK (movement IN ('receipt', 'free', 'issue', 'dispense', 'transfer-out', 'transfer-in', 'adjustment',
          'return-to-supplier', 'patient-return', 'expiry-write-off', 'stock-take')),
        quantity int NOT NULL CHECK (quantity <> 0),
        reference_type text NOT NULL,
        reference_id uuid NOT NULL,
        reason text,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id text NOT NULL
      );
      
    ALTER TABLE stock_ledger ENABLE ROW LEVEL SECURITY;
    ALTER TABLE stock_ledger FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON stock_ledger
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      CREATE INDEX stock_ledger_batch ON stock_ledger (store_id, batch_id, id);
      CREATE INDEX stock_ledger_item ON stock_ledger (branch_id, item_id, id);
      CREATE INDEX stock_ledger_reference ON stock_ledger (reference_id);
      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% rows are never changed or removed', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER stock_ledger_append_only BEFORE UPDATE OR DELETE ON stock_ledger FOR EACH ROW EXECUTE FUNCTION refuse_change();
      REVOKE UPDATE, DELETE, TRUNCATE ON stock_ledger FROM "hms_pharmacy";

      -- On hand per store and batch, kept in the same transaction as the ledger rows; never negative.
      CREATE TABLE stock_balances (
        store_id uuid NOT NULL REFERENCES stores (id),
        batch_id uuid NOT NULL REFERENCES batches (id),
        branch_id uuid NOT NULL,
        item_id uuid NOT NULL REFERENCES items (id),
        expiry date NOT NULL,
        on_hand int NOT NULL CHECK (on_hand >= 0),
        PRIMARY KEY (store_id, batch_id)
      );
      
    ALTER TABLE stock_balances ENABLE ROW LEVEL SECURITY;
    ALTER TABLE stock_balances FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON stock_balances
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      CREATE INDEX stock_balances_fefo ON stock_balances (store_id, item_id, expiry) WHERE on_hand > 0;

      CREATE TABLE dispenses (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        store_id uuid NOT NULL REFERENCES stores (id),
        supply_kind text NOT NULL CHECK (supply_kind IN ('inpatient', 'outpatient', 'otc')),
        patient_id uuid,
        patient_name text,
        admission_id uuid,
        prescription_id text,
        prescriber_name text,
        prescriber_registration_number text,
        prescriber_address text,
        prescribed_on date,
        dispensed_at timestamptz NOT NULL,
        actor_id text NOT NULL,
        CHECK (supply_kind <> 'inpatient' OR admission_id IS NOT NULL)
      );
      
    ALTER TABLE dispenses ENABLE ROW LEVEL SECURITY;
    ALTER TABLE dispenses FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON dispenses
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      CREATE INDEX dispenses_patient ON dispenses (branch_id, patient_id, dispensed_at);

      CREATE TABLE dispense_lines (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        dispense_id uuid NOT NULL REFERENCES dispenses (id),
        item_id uuid NOT NULL REFERENCES items (id),
        batch_id uuid NOT NULL REFERENCES batches (id),
        quantity int NOT NULL CHECK (quantity > 0),
        returned_quantity int NOT NULL DEFAULT 0 CHECK (returned_quantity >= 0 AND returned_quantity <= quantity),
        mrp_paise bigint NOT NULL,
        hsn text NOT NULL,
        gst_rate_bp int NOT NULL
      );
      
    ALTER TABLE dispense_lines ENABLE ROW LEVEL SECURITY;
    ALTER TABLE dispense_lines FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON dispense_lines
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      CREATE INDEX dispense_lines_dispense ON dispense_lines (dispense_id);

      -- The Schedule H1 register (DRUG-02): written with the supply, kept at least three years.
      CREATE TABLE h1_register (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        dispense_id uuid NOT NULL REFERENCES dispenses (id),
        supplied_at timestamptz NOT NULL,
        prescriber_name text NOT NULL CHECK (length(trim(prescriber_name)) > 0),
        prescriber_registration_number text NOT NULL CHECK (length(trim(prescriber_registration_number)) > 0),
        prescriber_address text NOT NULL CHECK (length(trim(prescriber_address)) > 0),
        patient_name text NOT NULL CHECK (length(trim(patient_name)) > 0),
        drug_name text NOT NULL,
        item_id uuid NOT NULL,
        batch_no text NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        pharmacist_id text NOT NULL
      );
      
    ALTER TABLE h1_register ENABLE ROW LEVEL SECURITY;
    ALTER TABLE h1_register FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON h1_register
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      CREATE INDEX h1_register_supplied ON h1_register (branch_id, supplied_at);
      CREATE FUNCTION h1_register_retention() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          RAISE EXCEPTION 'H1 register entries are never changed' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.supplied_at > now() - interval '3 years' THEN
          RAISE EXCEPTION 'H1 register entries are kept at least three years' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
      END $$;
      CREATE TRIGGER h1_register_keep BEFORE UPDATE OR DELETE ON h1_register FOR EACH ROW EXECUTE FUNCTION h1_register_retention();
      REVOKE UPDATE, TRUNCATE ON h1_register FROM "hms_pharmacy";

      CREATE TABLE transfers (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        from_store_id uuid NOT NULL REFERENCES stores (id),
        to_store_id uuid NOT NULL REFERENCES stores (id),
        status text NOT NULL CHECK (status IN ('in-transit', 'received')),
        sent_at timestamptz NOT NULL,
        received_at timestamptz,
        created_by text NOT NULL,
        CHECK (from_store_id <> to_store_id)
      );
      
    ALTER TABLE transfers ENABLE ROW LEVEL SECURITY;
    ALTER TABLE transfers FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON transfers
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);
      CREATE TABLE transfer_lines (
        transfer_id uuid NOT NULL REFERENCES transfers (id),
        batch_id uuid NOT NULL REFERENCES batches (id),
        branch_id uuid NOT NULL,
        item_id uuid NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        PRIMARY KEY (transfer_id, batch_id)
      );
      
    ALTER TABLE transfer_lines ENABLE ROW LEVEL SECURITY;
    ALTER TABLE transfer_lines FORCE ROW LEVEL SECURITY;
    CREATE POLICY branch_scope ON transfer_lines
      USING (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid)
      WITH CHECK (current_setting('hms.all_branches', true) = 'on'
             OR branch_id = nullif(current_setting('hms.branch_id', true), '')::uuid);`);
  }

  async down(): Promise<void> {
    throw new Error('Pharmacy migrations go forward only: write a new migration that undoes this one');
  }
}
