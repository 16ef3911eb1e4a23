import { branchScopedTableV1, upgradeBranchScopePolicies, type Migration } from '@hms/platform-persistence';

/**
 * The branch policy of tables created from migration 0006 on: the settings read once per statement,
 * as `upgradeBranchScopePolicies` left every older table. Written out here, not taken from the
 * platform's live helper, so that the text (and checksum) of a committed migration never changes.
 */
const branchScoped0006 = (table: string) => `
      ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
      CREATE POLICY branch_scope ON ${table}
        USING ((SELECT current_setting('hms.all_branches', true)) = 'on'
               OR branch_id = (SELECT nullif(current_setting('hms.branch_id', true), '')::uuid))
        WITH CHECK ((SELECT current_setting('hms.all_branches', true)) = 'on'
               OR branch_id = (SELECT nullif(current_setting('hms.branch_id', true), '')::uuid));`;

export const pharmacyMigrations: Migration[] = [
  {
    id: '0001_pharmacy',
    up: `
      CREATE TABLE items (
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
      ${branchScopedTableV1('items')}
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
      ${branchScopedTableV1('item_gst_rates')}

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
      ${branchScopedTableV1('stores')}

      CREATE TABLE reorder_levels (
        store_id uuid NOT NULL REFERENCES stores (id),
        item_id uuid NOT NULL REFERENCES items (id),
        branch_id uuid NOT NULL,
        reorder_level int NOT NULL CHECK (reorder_level >= 0),
        reorder_quantity int NOT NULL CHECK (reorder_quantity >= 0),
        PRIMARY KEY (store_id, item_id)
      );
      ${branchScopedTableV1('reorder_levels')}

      CREATE TABLE suppliers (
        id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        name text NOT NULL,
        gstin text NOT NULL CHECK (gstin ~ '^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$'),
        state_code text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (branch_id, gstin)
      );
      ${branchScopedTableV1('suppliers')}

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
      ${branchScopedTableV1('goods_receipts')}

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
      ${branchScopedTableV1('batches')}

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
      ${branchScopedTableV1('stock_ledger')}
      CREATE INDEX stock_ledger_batch ON stock_ledger (store_id, batch_id, id);
      CREATE INDEX stock_ledger_item ON stock_ledger (branch_id, item_id, id);
      CREATE INDEX stock_ledger_reference ON stock_ledger (reference_id);
      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% rows are never changed or removed', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER stock_ledger_append_only BEFORE UPDATE OR DELETE ON stock_ledger FOR EACH ROW EXECUTE FUNCTION refuse_change();
      REVOKE UPDATE, DELETE, TRUNCATE ON stock_ledger FROM "{{role}}";

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
      ${branchScopedTableV1('stock_balances')}
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
      ${branchScopedTableV1('dispenses')}
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
      ${branchScopedTableV1('dispense_lines')}
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
      ${branchScopedTableV1('h1_register')}
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
      REVOKE UPDATE, TRUNCATE ON h1_register FROM "{{role}}";

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
      ${branchScopedTableV1('transfers')}
      CREATE TABLE transfer_lines (
        transfer_id uuid NOT NULL REFERENCES transfers (id),
        batch_id uuid NOT NULL REFERENCES batches (id),
        branch_id uuid NOT NULL,
        item_id uuid NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        PRIMARY KEY (transfer_id, batch_id)
      );
      ${branchScopedTableV1('transfer_lines')}
    `,
  },
  {
    id: '0002_stock_operations',
    up: `
      -- Who received an in-transit transfer; the ledger's transfer-in rows say the same per batch.
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
      ${branchScopedTableV1('stock_adjustments')}
      CREATE TRIGGER stock_adjustments_append_only BEFORE UPDATE OR DELETE ON stock_adjustments FOR EACH ROW EXECUTE FUNCTION refuse_change();
      REVOKE UPDATE, DELETE, TRUNCATE ON stock_adjustments FROM "{{role}}";

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
      ${branchScopedTableV1('stock_take_counts')}
      CREATE TRIGGER stock_take_counts_append_only BEFORE UPDATE OR DELETE ON stock_take_counts FOR EACH ROW EXECUTE FUNCTION refuse_change();
      REVOKE UPDATE, DELETE, TRUNCATE ON stock_take_counts FROM "{{role}}";

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
      ${branchScopedTableV1('stock_returns')}
      CREATE INDEX stock_returns_dispense ON stock_returns (dispense_id) WHERE dispense_id IS NOT NULL;
      CREATE TRIGGER stock_returns_append_only BEFORE UPDATE OR DELETE ON stock_returns FOR EACH ROW EXECUTE FUNCTION refuse_change();
      REVOKE UPDATE, DELETE, TRUNCATE ON stock_returns FROM "{{role}}";
    `,
  },
  {
    // A store's stock page is ordered by item name: walking items in that order stops after a
    // page instead of sorting every balance of the store.
    id: '0003_items_by_name',
    up: `CREATE INDEX items_by_name ON items (branch_id, generic_name, id);`,
  },
  {
    id: '0004_branch_scope_per_statement',
    up: upgradeBranchScopePolicies(),
  },
  {
    // Dispense records carry the prescription (prescriber, registration number, date): kept at
    // least two years, which covers Schedule X prescriptions (DRUG-05). Nothing deletes them.
    id: '0005_keep_dispenses',
    up: `
      CREATE FUNCTION keep_dispense() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.dispensed_at > now() - interval '2 years' THEN
          RAISE EXCEPTION 'dispense records are kept at least two years' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
      END $$;
      CREATE TRIGGER dispenses_keep BEFORE DELETE ON dispenses FOR EACH ROW EXECUTE FUNCTION keep_dispense();
      REVOKE DELETE, TRUNCATE ON dispenses FROM "{{role}}";
    `,
  },
  {
    // Supplies are charged to patients and admissions the pharmacy knows from the patients and
    // wards services' events; masters are edited with If-Match and deactivated, never deleted;
    // a store sets the shelf life a batch must have left when it arrives.
    id: '0006_patients_admissions_masters',
    up: `
      -- Patients as the patients service's events describe them. A merged-away record keeps its
      -- row, pointing at the record it was merged into. Versions make late or repeated events
      -- harmless; name and UHID are null only for a record known so far from a merge alone.
      CREATE TABLE patients (
        patient_id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        uhid text,
        name text,
        status text NOT NULL CHECK (status IN ('active', 'merged')),
        merged_into uuid,
        merged_into_uhid text,
        version int NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status = 'merged' OR merged_into IS NULL)
      );
      ${branchScoped0006('patients')}
      CREATE INDEX patients_merged_into ON patients (merged_into) WHERE merged_into IS NOT NULL;

      -- Admissions as the wards service's events describe them. event_at is the time of the last
      -- event applied (admitted, transferred, discharged): an older one changes nothing, and a
      -- discharge is final.
      CREATE TABLE admissions (
        admission_id uuid PRIMARY KEY,
        branch_id uuid NOT NULL,
        patient_id uuid NOT NULL,
        ip_number text NOT NULL,
        status text NOT NULL CHECK (status IN ('admitted', 'discharged')),
        admitted_at timestamptz,
        discharged_at timestamptz,
        ward_id uuid,
        ward_code text,
        bed_code text,
        event_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'discharged') = (discharged_at IS NOT NULL))
      );
      ${branchScoped0006('admissions')}
      CREATE INDEX admissions_patient ON admissions (branch_id, patient_id);

      -- Masters carry a version for If-Match, and suppliers can be deactivated like items and stores.
      ALTER TABLE items ADD COLUMN version int NOT NULL DEFAULT 1;
      ALTER TABLE stores ADD COLUMN version int NOT NULL DEFAULT 1;
      ALTER TABLE suppliers ADD COLUMN version int NOT NULL DEFAULT 1;
      ALTER TABLE suppliers ADD COLUMN retired_at timestamptz;
      -- Days of shelf life a batch must have left on the day it is received (0: not expired).
      ALTER TABLE stores ADD COLUMN min_shelf_life_days int NOT NULL DEFAULT 0 CHECK (min_shelf_life_days BETWEEN 0 AND 3650);

      -- A name of white space only is no name. NOT VALID: checked for new and changed rows only.
      ALTER TABLE items ADD CONSTRAINT items_text_not_blank
        CHECK (generic_name ~ '\\S' AND form ~ '\\S' AND unit ~ '\\S' AND (brand_name IS NULL OR brand_name ~ '\\S')) NOT VALID;
      ALTER TABLE stores ADD CONSTRAINT stores_name_not_blank CHECK (name ~ '\\S') NOT VALID;
      ALTER TABLE suppliers ADD CONSTRAINT suppliers_name_not_blank CHECK (name ~ '\\S') NOT VALID;

      -- 40% is a GST slab from 22 Sep 2025; which rate is in force on which date the service checks.
      ALTER TABLE item_gst_rates DROP CONSTRAINT item_gst_rates_rate_bp_check;
      ALTER TABLE item_gst_rates ADD CONSTRAINT item_gst_rates_rate_bp_check CHECK (rate_bp BETWEEN 0 AND 4000);

      -- A stay's supplies, and goods receipts newest first.
      CREATE INDEX dispenses_admission ON dispenses (branch_id, admission_id, dispensed_at) WHERE admission_id IS NOT NULL;
      CREATE INDEX goods_receipts_received ON goods_receipts (branch_id, received_at, id);
    `,
  },
];
