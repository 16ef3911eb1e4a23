import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { ExistingPatientForDuplicateCheck } from '@hms/patients-domain';
import { PG, pgCode, pgConstraint, type Tx } from '@hms/platform-persistence';
import { NAME_SIMILARITY } from '../domain/patient-search';
import { PatientEntity } from './patient.entity';
import { conflict } from '../domain/errors';

type TrigramColumn = 'phonetic_name' | 'search_name';

/** An active record of the branch that a new registration may duplicate (what the duplicate rules compare). */
export type DuplicateCandidate = ExistingPatientForDuplicateCheck;

/** One page of a look-up: `fetch` rows (the page size and one more, to know whether more exist) from `offset`. */
export interface PageWindow {
  offset: number;
  fetch: number;
}

/** A second active record with the ABHA number of another (the partial unique index) is one person registered twice. */
function abhaTaken(error: unknown): never {
  if (pgCode(error) === PG.uniqueViolation && pgConstraint(error) === 'patients_abha_number') {
    throw conflict('patient-abha-registered', 'This ABHA number belongs to another patient already');
  }
  throw error;
}

/**
 * The patient register (`patients`). Reads and writes go through the transaction's entity
 * manager; the advisory locks, the duplicate probe and the trigram nearest-neighbour search
 * are SQL the query builder cannot say well.
 */
@Injectable()
export class PatientsRepository {
  private leakproofTrigram: Promise<boolean> | null = null;
  private selectList: string | null = null;

  findById(tx: Tx, id: string): Promise<PatientEntity | null> {
    return tx.manager.findOneBy(PatientEntity, { id });
  }

  /** The patient a UHID names; a UHID of a merged record resolves to the survivor. */
  async findByUhid(tx: Tx, uhid: string): Promise<PatientEntity | null> {
    const patient = await tx.manager.findOneBy(PatientEntity, { uhid: uhid.toUpperCase() });
    if (!patient || patient.status === 'active' || !patient.mergedInto) return patient;
    return this.findById(tx, patient.mergedInto);
  }

  /** The patient, locked until the transaction ends (FOR UPDATE). */
  lockById(tx: Tx, id: string): Promise<PatientEntity | null> {
    return tx.manager.findOne(PatientEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Several patients, locked in id order (so that two merges never wait on each other crosswise). */
  lockByIds(tx: Tx, ids: readonly string[]): Promise<PatientEntity[]> {
    return tx.manager.find(PatientEntity, { where: { id: In([...ids]) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
  }

  /** Takes the registration locks (transaction-scoped advisory locks), in the order given, in one round trip. */
  async lockRegistration(tx: Tx, keys: readonly string[]): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n', [keys]);
  }

  /** Active records of the branch with the phone or the ABHA number, or born that day with a similar-sounding name (at most 50). */
  findDuplicateCandidates(
    tx: Tx,
    branchId: string,
    probe: { phone: string | null; abhaNumber: string | null; phoneticName: string; dateOfBirth: string | null },
  ): Promise<DuplicateCandidate[]> {
    return tx.query<DuplicateCandidate>(
      `SELECT id, uhid, name, phone, to_char(date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth", abha_number AS "abhaNumber" FROM patients
       WHERE status = 'active' AND (
         ($1::text IS NOT NULL AND phone = $1)
         OR ($2::text IS NOT NULL AND abha_number = $2)
         OR ($4::date IS NOT NULL AND date_of_birth = $4::date AND similarity(phonetic_name, $3) >= $6))
         AND branch_id = $5
       LIMIT 50`,
      [probe.phone, probe.abhaNumber, probe.phoneticName, probe.dateOfBirth, branchId, NAME_SIMILARITY],
    );
  }

  /** Inserts a new record: one INSERT, whose RETURNING gives the database's created_at and updated_at. */
  async insert(tx: Tx, patient: Omit<PatientEntity, 'createdAt' | 'updatedAt'>): Promise<PatientEntity> {
    const result = await tx.manager
      .createQueryBuilder()
      .insert()
      .into(PatientEntity)
      .values(patient)
      .returning(['createdAt', 'updatedAt'])
      .updateEntity(false)
      .callListeners(false)
      .execute()
      .catch(abhaTaken);
    const [stamps] = result.raw as { created_at: Date; updated_at: Date }[];
    return Object.assign(new PatientEntity(), patient, { createdAt: stamps.created_at, updatedAt: stamps.updated_at });
  }

  /**
   * Applies a change to a record the transaction holds locked at `current`: the version goes up
   * by one and the record is stamped with who changed it and when. Returns the record as it now is.
   */
  async applyChange(tx: Tx, current: PatientEntity, changes: Partial<Omit<PatientEntity, 'id' | 'version' | 'updatedBy' | 'updatedAt'>>, updatedBy: string): Promise<PatientEntity> {
    const set = { ...changes, version: current.version + 1, updatedBy };
    const result = await tx.manager
      .createQueryBuilder()
      .update(PatientEntity)
      .set(set)
      .where('id = :id', { id: current.id })
      .returning(['updatedAt'])
      .execute()
      .catch(abhaTaken);
    const [{ updated_at: updatedAt }] = result.raw as { updated_at: Date }[];
    return Object.assign(current, set, { updatedAt });
  }

  /** Records merged into `from` now point at `to` directly. */
  async repointMerged(tx: Tx, from: string, to: string): Promise<void> {
    await tx.manager.update(PatientEntity, { mergedInto: from }, { mergedInto: to });
  }

  /** Active records of the branch with exactly this phone, ABHA number or ABHA address, in registration order. */
  findActiveBy(tx: Tx, branchId: string, where: { phone: string } | { abhaNumber: string } | { abhaAddress: string }, window: PageWindow): Promise<PatientEntity[]> {
    return tx.manager.find(PatientEntity, {
      where: { ...where, branchId, status: 'active' },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: window.offset,
      take: window.fetch,
    });
  }

  /**
   * Fuzzy name search, paged. The result is every active patient of the branch whose phonetic
   * key or spelling is at least NAME_SIMILARITY similar to the query, in one total order:
   * phonetic matches first, by phonetic similarity; then the spelling-only ones, by spelling
   * similarity; ties by spelling similarity, registration time and id.
   *
   * It is computed without reading every match. Rows come off the GiST index nearest first
   * (phonetic_name <-> key). The first `offset + fetch` of them, with every row tied with the
   * last, hold the page whenever they are all phonetic matches: anything further away ranks
   * below all of them. When they are not, every phonetic match is among them, and the same walk
   * on the spelling, with ties, holds the spelling-only part of the page. The walks depend
   * only on offset + fetch and on the data, never on how a bounded walk happened to break a tie,
   * so consecutive pages partition the result (they used to skip and repeat patients).
   */
  async searchByName(tx: Tx, branchId: string, name: { phonetic: string; plain: string }, window: PageWindow): Promise<PatientEntity[]> {
    const wanted = window.offset + window.fetch;
    // `%` must mean what NAME_SIMILARITY means, whatever the server's default is.
    await tx.query(`SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, [String(NAME_SIMILARITY)]);
    const filtered = await this.trigramIndexUsable(tx);
    const phonetic = await this.nearest(tx, branchId, 'phonetic_name', name.phonetic, wanted, filtered);
    const ids = new Set(phonetic.ids);
    if (phonetic.matches < wanted) for (const id of (await this.nearest(tx, branchId, 'search_name', name.plain, wanted, filtered)).ids) ids.add(id);
    if (!ids.size) return [];
    return tx.query<PatientEntity>(
      `SELECT ${this.entityColumns(tx)} FROM patients
       WHERE id = ANY($1::uuid[]) AND branch_id = $2 AND status = 'active'
         AND (similarity(phonetic_name, $3) >= $5::real OR similarity(search_name, $4) >= $5::real)
       ORDER BY similarity(phonetic_name, $3) >= $5::real DESC,
         CASE WHEN similarity(phonetic_name, $3) >= $5::real THEN similarity(phonetic_name, $3) ELSE similarity(search_name, $4) END DESC,
         similarity(search_name, $4) DESC, created_at, id
       LIMIT $6 OFFSET $7`,
      [[...ids], branchId, name.phonetic, name.plain, NAME_SIMILARITY, window.fetch, window.offset],
    );
  }

  /**
   * The select list that reads a `patients` row into the entity's shape, from the entity's own
   * column metadata (so it cannot drift from it): each column under its property name, dates as
   * YYYY-MM-DD as TypeORM reads them. For the search, whose ordering stays SQL.
   */
  private entityColumns(tx: Tx): string {
    this.selectList ??= tx.manager.connection
      .getMetadata(PatientEntity)
      .columns.map((c) => (c.type === 'date' ? `to_char(${c.databaseName}, 'YYYY-MM-DD') AS "${c.propertyName}"` : `${c.databaseName} AS "${c.propertyName}"`))
      .join(', ');
    return this.selectList;
  }

  /**
   * The ids of the `count` active patients nearest to `value` on one trigram column, plus every
   * patient tied with the last of them when that one still matches; `matches` counts those at
   * least NAME_SIMILARITY similar.
   *
   * With a leakproof `%` the index filters (only matches come back). Without it, a filter under
   * row-level security would walk the whole index for a rare name, so the walk is unfiltered and
   * stops after count + 1 rows; only when the last two tie at a matching distance is it taken
   * again with ties (then the tied rows are matches the result needs anyway).
   */
  private async nearest(tx: Tx, branchId: string, column: TrigramColumn, value: string, count: number, filtered: boolean): Promise<{ ids: string[]; matches: number }> {
    if (filtered) {
      const rows = await tx.query<{ id: string }>(
        `SELECT id FROM patients WHERE branch_id = $3 AND status = 'active' AND ${column} % $1
         ORDER BY ${column} <-> $1 FETCH FIRST ($2::int) ROWS WITH TIES`,
        [value, count, branchId],
      );
      return { ids: rows.map((r) => r.id), matches: rows.length };
    }
    const rows = await tx.query<{ id: string; distance: number; match: boolean }>(
      `SELECT id, ${column} <-> $1 AS distance, similarity(${column}, $1) >= $4::real AS match
       FROM patients WHERE branch_id = $3 AND status = 'active'
       ORDER BY ${column} <-> $1 LIMIT $2::int + 1`,
      [value, count, branchId, NAME_SIMILARITY],
    );
    if (rows.length > count && rows[count].distance === rows[count - 1].distance && rows[count - 1].match) {
      const tied = await tx.query<{ id: string; match: boolean }>(
        `SELECT id, similarity(${column}, $1) >= $4::real AS match
         FROM patients WHERE branch_id = $3 AND status = 'active'
         ORDER BY ${column} <-> $1 FETCH FIRST ($2::int) ROWS WITH TIES`,
        [value, count, branchId, NAME_SIMILARITY],
      );
      return { ids: tied.map((r) => r.id), matches: tied.filter((r) => r.match).length };
    }
    return { ids: rows.map((r) => r.id), matches: rows.filter((r) => r.match).length };
  }

  /**
   * Whether pg_trgm's % may filter inside an index under row-level security (asked once).
   * Migration 0002 marks it leakproof where the migrator may; elsewhere the search takes the
   * bounded plan.
   */
  private trigramIndexUsable(tx: Tx): Promise<boolean> {
    this.leakproofTrigram ??= tx
      .one<{ leakproof: boolean }>(`SELECT coalesce(bool_and(proleakproof), false) AS leakproof FROM pg_proc WHERE proname = 'similarity_op'`)
      .then((r) => r.leakproof)
      .catch((error: unknown) => {
        this.leakproofTrigram = null;
        throw error;
      });
    return this.leakproofTrigram;
  }
}
