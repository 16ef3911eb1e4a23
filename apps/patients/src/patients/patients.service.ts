import { Inject, Injectable } from '@nestjs/common';
import { DomainError, conflict, forbidden, invalid, notFound, type EventActor, type Permission } from '@hms/contracts-common';
import { PatientMerged, PatientRegistered, PatientUpdated } from '@hms/contracts-patients';
import type { Caller } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Outbox } from '@hms/platform-messaging';
import { Database, PG, pgCode, pgConstraint, uuidv7, type Tx } from '@hms/platform-persistence';
import { CLOCK, Clock } from '@hms/platform-time';
import {
  findLikelyDuplicates,
  formatUhid,
  looksLikeUhid,
  normalizeAbhaNumber,
  normalizeIndianMobile,
  phoneticKey,
  searchName,
  validateDateOfDeath,
  validateUhidPrefix,
} from '@hms/patients-domain';
import { checkRecordRules, normaliseFields, type RawFields, type Warning } from './patient-input';
import { PATIENT_COLUMNS, patientSummary, patientView, type PatientRow, type PatientView } from './patient.view';

/** pg_trgm's default similarity threshold: below it, two names are not taken as one. */
const NAME_SIMILARITY = 0.3;

/**
 * The permission of those who correct records (records officers): merging duplicates,
 * withdrawing a death recorded in error, clearing a medico-legal flag.
 */
const RECORDS_CORRECTION: Permission = 'patients:merge';

/** What a deceased patient's record still takes: a case can become medico-legal after death. */
const EDITABLE_AFTER_DEATH = new Set(['medicoLegal', 'mlcNumber', 'policeStation']);

/** Fields of a change that say how the date of birth was given; events name the date itself. */
const AGE_FIELDS = new Set(['ageYears', 'ageMonths', 'ageDays']);

type TrigramColumn = 'phonetic_name' | 'search_name';

const actorOf = (caller: Caller): EventActor => ({ type: 'user', id: caller.userId, name: caller.name });
const scopeOf = (caller: Caller) => ({ branchId: caller.branchId });

export interface RegisterInput extends RawFields {
  name: string;
  sex: string;
  confirmedNotDuplicate?: boolean;
}

/** Use cases of the patient register: registration with duplicate detection, search, update, merge. */
@Injectable()
export class PatientsService {
  private leakproofTrigram: Promise<boolean> | null = null;

  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async register(caller: Caller, input: RegisterInput): Promise<PatientView & { warnings: Warning[] }> {
    const today = this.clock.now();
    const { fields, warnings } = normaliseFields(input, today, 'create');
    const { name, phoneticName } = fields;
    if (name === undefined || phoneticName === undefined) throw new Error('a registration without a normalised name');
    checkRecordRules({ dateOfBirth: fields.dateOfBirth ?? null, medicoLegal: fields.medicoLegal ?? false }, fields, today);
    try {
      return await this.db.transaction(scopeOf(caller), async (tx) => {
        // Registrations of one phone, ABHA or name-and-birth-date take turns, so two desks
        // registering the same person at once cannot both pass the duplicate check.
        const lockKeys = [
          fields.phone ? `phone:${fields.phone}` : null,
          fields.abhaNumber ? `abha:${fields.abhaNumber}` : null,
          `name-dob:${phoneticName}:${fields.dateOfBirth}`,
        ]
          .filter((k): k is string => k !== null)
          .map((k) => `${caller.branchId}:${k}`)
          .sort();
        // One round trip, in a fixed order, so that two registrations never wait on each other crosswise.
        await tx.query('SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n', [lockKeys]);

        const candidates = await this.duplicateCandidates(tx, caller.branchId, fields.phone ?? null, fields.abhaNumber ?? null, phoneticName, fields.dateOfBirth ?? null);
        const duplicates = findLikelyDuplicates(
          { name, phone: fields.phone, dateOfBirth: fields.dateOfBirth, abhaNumber: fields.abhaNumber },
          candidates.map((c) => ({ id: c.id, uhid: c.uhid, name: c.name, phone: c.phone, dateOfBirth: c.date_of_birth, abhaNumber: c.abha_number })),
        );
        const sameAbha = duplicates.filter((d) => d.reasons.includes('same-abha'));
        if (sameAbha.length) {
          throw conflict('patient-abha-registered', `This ABHA number belongs to patient ${sameAbha[0].patient.uhid} already`, {
            candidates: sameAbha.map((d) => ({ id: d.patient.id, uhid: d.patient.uhid, name: d.patient.name, reasons: d.reasons })),
          });
        }
        if (duplicates.length && !input.confirmedNotDuplicate) {
          throw conflict(
            'patient-duplicate-suspected',
            'This may be a patient who is registered already. Check the candidates; if none is this person, send the request again with "confirmedNotDuplicate": true',
            { candidates: duplicates.map((d) => ({ id: d.patient.id, uhid: d.patient.uhid, name: d.patient.name, dateOfBirth: d.patient.dateOfBirth, reasons: d.reasons })) },
          );
        }

        const uhid = await this.nextUhid(tx, caller);
        const id = uuidv7();
        const row = await tx.one<PatientRow>(
          `INSERT INTO patients (id, branch_id, uhid, name, given_name, family_name, search_name, phonetic_name, sex, date_of_birth,
             date_of_birth_estimated, phone, abha_number, abha_address, address, emergency_contact, warnings, created_by, updated_by,
             guardian, medico_legal, mlc_number, police_station)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, $19, $20, $21, $22)
           RETURNING ${PATIENT_COLUMNS}`,
          [
            id,
            caller.branchId,
            uhid,
            fields.name,
            fields.givenName ?? null,
            fields.familyName ?? null,
            fields.searchName,
            fields.phoneticName,
            fields.sex,
            fields.dateOfBirth,
            fields.dateOfBirthEstimated ?? false,
            fields.phone ?? null,
            fields.abhaNumber ?? null,
            fields.abhaAddress ?? null,
            fields.address ? JSON.stringify(fields.address) : null,
            fields.emergencyContact ? JSON.stringify(fields.emergencyContact) : null,
            JSON.stringify(warnings),
            caller.userId,
            fields.guardian ? JSON.stringify(fields.guardian) : null,
            fields.medicoLegal ?? false,
            fields.mlcNumber ?? null,
            fields.policeStation ?? null,
          ],
        );
        await this.outbox.append(tx, PatientRegistered, patientSummary(row), this.meta(caller, id));
        return patientView(row, today);
      });
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation && pgConstraint(error) === 'patients_abha_number') {
        throw conflict('patient-abha-registered', 'This ABHA number belongs to another patient already');
      }
      throw error;
    }
  }

  async get(caller: Caller, id: string): Promise<PatientView> {
    const row = await this.db.transaction(scopeOf(caller), (tx) => tx.maybeOne<PatientRow>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE id = $1`, [id]), {
      readOnly: true,
    });
    if (!row) throw notFound('The patient', 'patient-not-found');
    return patientView(row, this.clock.now());
  }

  /** The patient a UHID names; a UHID of a merged record resolves to the survivor. */
  async getByUhid(caller: Caller, uhid: string): Promise<PatientView> {
    const row = await this.db.transaction(scopeOf(caller), (tx) => this.resolveUhid(tx, uhid), { readOnly: true });
    if (!row) throw notFound('The patient', 'patient-not-found');
    return patientView(row, this.clock.now());
  }

  /**
   * One box for every way a desk looks a patient up: UHID, phone or ABHA exactly, and
   * otherwise the name, fuzzily (transliterated and phonetic, so Hina finds Heena). Every kind
   * of look-up has a total order ending in the id, so pages partition the result.
   */
  async search(caller: Caller, q: string, page: PageRequest): Promise<Page<PatientView>> {
    const query = q.normalize('NFC').trim();
    if (query.length < 2 || query.length > 100) {
      throw new DomainError('validation', 'validation-failed', 'q must be 2 to 100 characters', {}, [{ field: 'q', message: 'must be 2 to 100 characters' }]);
    }
    const today = this.clock.now();
    const rows = await this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const fetch = page.limit + 1;
        if (looksLikeUhid(query)) {
          const row = await this.resolveUhid(tx, query.toUpperCase());
          if (row) return page.offset === 0 ? [row] : [];
        }
        const compact = query.replace(/[\s()-]/g, '');
        if (/^\+?\d{10,12}$/.test(compact)) {
          const phone = normalizeIndianMobile(query);
          if (phone.ok) {
            return tx.query<PatientRow>(
              `SELECT ${PATIENT_COLUMNS} FROM patients WHERE branch_id = $4 AND phone = $1 AND status = 'active' ORDER BY created_at, id LIMIT $2 OFFSET $3`,
              [phone.e164, fetch, page.offset, caller.branchId],
            );
          }
        }
        const abha = normalizeAbhaNumber(query);
        if (abha.ok) {
          return tx.query<PatientRow>(
            `SELECT ${PATIENT_COLUMNS} FROM patients WHERE branch_id = $4 AND abha_number = $1 AND status = 'active' ORDER BY created_at, id LIMIT $2 OFFSET $3`,
            [abha.digits, fetch, page.offset, caller.branchId],
          );
        }
        if (query.includes('@')) {
          return tx.query<PatientRow>(
            `SELECT ${PATIENT_COLUMNS} FROM patients WHERE branch_id = $4 AND abha_address = $1 AND status = 'active' ORDER BY created_at, id LIMIT $2 OFFSET $3`,
            [query.toLowerCase(), fetch, page.offset, caller.branchId],
          );
        }
        const key = phoneticKey(query);
        const plain = searchName(query);
        if (!key.trim()) return [];
        return this.searchByName(tx, caller.branchId, key, plain, page.offset, fetch);
      },
      { readOnly: true },
    );
    const result = toPage(rows, page);
    return { ...result, items: result.items.map((r) => patientView(r, today, { maskAbha: true })) };
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
  private async searchByName(tx: Tx, branchId: string, key: string, plain: string, offset: number, fetch: number): Promise<PatientRow[]> {
    const wanted = offset + fetch;
    // `%` must mean what NAME_SIMILARITY means, whatever the server's default is.
    await tx.query(`SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, [String(NAME_SIMILARITY)]);
    const filtered = await this.trigramIndexUsable(tx);
    const phonetic = await this.nearest(tx, branchId, 'phonetic_name', key, wanted, filtered);
    const ids = new Set(phonetic.ids);
    if (phonetic.matches < wanted) for (const id of (await this.nearest(tx, branchId, 'search_name', plain, wanted, filtered)).ids) ids.add(id);
    if (!ids.size) return [];
    return tx.query<PatientRow>(
      `SELECT ${PATIENT_COLUMNS} FROM patients
       WHERE id = ANY($1::uuid[]) AND branch_id = $2 AND status = 'active'
         AND (similarity(phonetic_name, $3) >= $5::real OR similarity(search_name, $4) >= $5::real)
       ORDER BY similarity(phonetic_name, $3) >= $5::real DESC,
         CASE WHEN similarity(phonetic_name, $3) >= $5::real THEN similarity(phonetic_name, $3) ELSE similarity(search_name, $4) END DESC,
         similarity(search_name, $4) DESC, created_at, id
       LIMIT $6 OFFSET $7`,
      [[...ids], branchId, key, plain, NAME_SIMILARITY, fetch, offset],
    );
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

  async update(caller: Caller, id: string, expectedVersion: number, input: RawFields): Promise<PatientView> {
    const today = this.clock.now();
    const { fields, warnings } = normaliseFields(input, today, 'update');
    const changed = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
    if (!changed.length) throw new DomainError('validation', 'validation-failed', 'The request changes nothing: send at least one field');
    try {
      return await this.db.transaction(scopeOf(caller), async (tx) => {
        const current = await this.lockForChange(tx, id, expectedVersion);
        if (current.date_of_death) {
          const refused = changed.filter((k) => !EDITABLE_AFTER_DEATH.has(k));
          if (refused.length) {
            throw conflict(
              'patient-deceased',
              `This patient's death is recorded (${current.date_of_death}): the record takes no changes but to the medico-legal case, so ${refused.join(', ')} cannot change. A death recorded in error is withdrawn by a records officer (POST /api/v1/patients/${id}/death/withdrawal).`,
            );
          }
        }
        if (current.medico_legal && fields.medicoLegal === false && !caller.permissions.has(RECORDS_CORRECTION)) {
          throw forbidden('Only a records officer (permission patients:merge) can clear the medico-legal flag: medico-legal records are kept longer', 'patient-mlc-clear-forbidden');
        }
        checkRecordRules({ dateOfBirth: fields.dateOfBirth ?? current.date_of_birth, medicoLegal: fields.medicoLegal ?? current.medico_legal }, fields, today);
        // Clearing the flag clears the case's details.
        const clearsCase = fields.medicoLegal === false;
        const abhaWarning = input.abhaNumber !== undefined;
        const keptWarnings = current.warnings.filter((w) => !(abhaWarning && w.code === 'abha-check-digit'));
        const row = await tx.one<PatientRow>(
          `UPDATE patients SET
             name = coalesce($2, name), search_name = coalesce($3, search_name), phonetic_name = coalesce($4, phonetic_name),
             given_name = CASE WHEN $5 THEN $6 ELSE given_name END,
             family_name = CASE WHEN $7 THEN $8 ELSE family_name END,
             sex = coalesce($9, sex),
             date_of_birth = CASE WHEN $10 THEN $11::date ELSE date_of_birth END,
             date_of_birth_estimated = CASE WHEN $10 THEN $12 ELSE date_of_birth_estimated END,
             phone = CASE WHEN $13 THEN $14 ELSE phone END,
             abha_number = CASE WHEN $15 THEN $16 ELSE abha_number END,
             abha_address = CASE WHEN $17 THEN $18 ELSE abha_address END,
             address = CASE WHEN $19 THEN $20::jsonb ELSE address END,
             emergency_contact = CASE WHEN $21 THEN $22::jsonb ELSE emergency_contact END,
             warnings = $23, version = version + 1, updated_at = now(), updated_by = $24,
             guardian = CASE WHEN $25 THEN $26::jsonb ELSE guardian END,
             medico_legal = coalesce($27, medico_legal),
             mlc_number = CASE WHEN $28 THEN $29 ELSE mlc_number END,
             police_station = CASE WHEN $30 THEN $31 ELSE police_station END
           WHERE id = $1 RETURNING ${PATIENT_COLUMNS}`,
          [
            id,
            fields.name ?? null,
            fields.searchName ?? null,
            fields.phoneticName ?? null,
            fields.givenName !== undefined,
            fields.givenName ?? null,
            fields.familyName !== undefined,
            fields.familyName ?? null,
            fields.sex ?? null,
            fields.dateOfBirth !== undefined,
            fields.dateOfBirth ?? null,
            fields.dateOfBirthEstimated ?? false,
            fields.phone !== undefined,
            fields.phone ?? null,
            fields.abhaNumber !== undefined,
            fields.abhaNumber ?? null,
            fields.abhaAddress !== undefined,
            fields.abhaAddress ?? null,
            fields.address !== undefined,
            fields.address ? JSON.stringify(fields.address) : null,
            fields.emergencyContact !== undefined,
            fields.emergencyContact ? JSON.stringify(fields.emergencyContact) : null,
            JSON.stringify([...keptWarnings, ...warnings]),
            caller.userId,
            fields.guardian !== undefined,
            fields.guardian ? JSON.stringify(fields.guardian) : null,
            fields.medicoLegal ?? null,
            fields.mlcNumber !== undefined || clearsCase,
            fields.mlcNumber ?? null,
            fields.policeStation !== undefined || clearsCase,
            fields.policeStation ?? null,
          ],
        );
        const changedFields = [...new Set([...changed.map((k) => (AGE_FIELDS.has(k) ? 'dateOfBirth' : k)), ...(clearsCase ? ['mlcNumber', 'policeStation'] : [])])];
        await this.outbox.append(tx, PatientUpdated, { ...patientSummary(row), changedFields }, this.meta(caller, id));
        return patientView(row, today);
      });
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation && pgConstraint(error) === 'patients_abha_number') {
        throw conflict('patient-abha-registered', 'This ABHA number belongs to another patient already');
      }
      throw error;
    }
  }

  /** Folds a duplicate record into a survivor; the duplicate's UHID resolves to the survivor from then on. */
  async merge(caller: Caller, survivorId: string, mergedId: string): Promise<PatientView> {
    if (survivorId === mergedId) throw new DomainError('validation', 'validation-failed', 'A patient cannot be merged into itself');
    const today = this.clock.now();
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const rows = await tx.query<PatientRow>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE id = ANY($1) ORDER BY id FOR UPDATE`, [[survivorId, mergedId]]);
      const survivor = rows.find((r) => r.id === survivorId);
      const merged = rows.find((r) => r.id === mergedId);
      if (!survivor) throw notFound('The surviving patient', 'patient-not-found');
      if (!merged) throw notFound('The patient to merge', 'patient-not-found');
      if (survivor.status !== 'active') throw conflict('patient-merged', 'The surviving record was itself merged away');
      if (merged.status !== 'active') throw conflict('patient-merged', 'That record was merged already');
      await tx.query(`UPDATE patients SET status = 'merged', merged_into = $2, version = version + 1, updated_at = now(), updated_by = $3 WHERE id = $1`, [
        mergedId,
        survivorId,
        caller.userId,
      ]);
      // Records merged into the one going away now point at the survivor directly.
      await tx.query(`UPDATE patients SET merged_into = $2, updated_at = now() WHERE merged_into = $1`, [mergedId, survivorId]);
      // The survivor keeps its own identifiers and takes the ones it lacked.
      await tx.query(
        `UPDATE patients s SET
           abha_number = coalesce(s.abha_number, m.abha_number), abha_address = coalesce(s.abha_address, m.abha_address),
           phone = coalesce(s.phone, m.phone), address = coalesce(s.address, m.address), emergency_contact = coalesce(s.emergency_contact, m.emergency_contact),
           guardian = coalesce(s.guardian, m.guardian),
           -- One person: if either record is a medico-legal case, or records a death, the survivor does.
           medico_legal = s.medico_legal OR m.medico_legal,
           mlc_number = coalesce(s.mlc_number, m.mlc_number), police_station = coalesce(s.police_station, m.police_station),
           date_of_death = coalesce(s.date_of_death, m.date_of_death),
           death_recorded_at = CASE WHEN s.date_of_death IS NULL THEN m.death_recorded_at ELSE s.death_recorded_at END,
           death_recorded_by = CASE WHEN s.date_of_death IS NULL THEN m.death_recorded_by ELSE s.death_recorded_by END,
           death_recorded_by_name = CASE WHEN s.date_of_death IS NULL THEN m.death_recorded_by_name ELSE s.death_recorded_by_name END,
           version = s.version + 1, updated_at = now(), updated_by = $3
         FROM patients m WHERE s.id = $1 AND m.id = $2`,
        [survivorId, mergedId, caller.userId],
      );
      const row = await tx.one<PatientRow>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE id = $1`, [survivorId]);
      await this.outbox.append(
        tx,
        PatientMerged,
        { survivorId, survivorUhid: survivor.uhid, mergedPatientId: mergedId, mergedUhid: merged.uhid },
        this.meta(caller, survivorId),
      );
      await this.outbox.append(tx, PatientUpdated, { ...patientSummary(row), changedFields: ['merged'] }, this.meta(caller, survivorId));
      return patientView(row, today);
    });
  }

  /**
   * Records the patient's death: the record becomes deceased and inactive, with the date, when
   * it was recorded (the system's time, not the user's) and by whom. From then on it takes no
   * changes but to the medico-legal case, until a records officer withdraws a death recorded in error.
   */
  async recordDeath(caller: Caller, id: string, expectedVersion: number, dateOfDeath: string): Promise<PatientView> {
    const now = this.clock.now();
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const current = await this.lockForChange(tx, id, expectedVersion);
      if (current.date_of_death) {
        throw conflict('patient-deceased', `This patient's death is recorded already (${current.date_of_death}); a records officer can withdraw it if it is wrong`);
      }
      const problem = validateDateOfDeath(dateOfDeath, now, { dateOfBirth: current.date_of_birth, estimated: current.date_of_birth_estimated });
      if (problem) throw invalid([{ field: 'dateOfDeath', message: problem }], `dateOfDeath: ${problem}`);
      const row = await tx.one<PatientRow>(
        `UPDATE patients SET date_of_death = $2::date, death_recorded_at = $3, death_recorded_by = $4, death_recorded_by_name = $5,
           version = version + 1, updated_at = now(), updated_by = $4
         WHERE id = $1 RETURNING ${PATIENT_COLUMNS}`,
        [id, dateOfDeath, now, caller.userId, caller.name],
      );
      await this.outbox.append(tx, PatientUpdated, { ...patientSummary(row), changedFields: ['dateOfDeath'] }, this.meta(caller, id));
      return patientView(row, now);
    });
  }

  /** Withdraws a death recorded in error (records officers only); the reason goes to the audit trail with the event. */
  async withdrawDeath(caller: Caller, id: string, expectedVersion: number, reason: string): Promise<PatientView> {
    const now = this.clock.now();
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const current = await this.lockForChange(tx, id, expectedVersion);
      if (!current.date_of_death) throw conflict('patient-not-deceased', 'No death is recorded for this patient');
      const row = await tx.one<PatientRow>(
        `UPDATE patients SET date_of_death = NULL, death_recorded_at = NULL, death_recorded_by = NULL, death_recorded_by_name = NULL,
           version = version + 1, updated_at = now(), updated_by = $2
         WHERE id = $1 RETURNING ${PATIENT_COLUMNS}`,
        [id, caller.userId],
      );
      await this.outbox.append(tx, PatientUpdated, { ...patientSummary(row), changedFields: ['dateOfDeath'], reason: reason.trim() }, this.meta(caller, id));
      return patientView(row, now);
    });
  }

  /** The patient's row, locked, when it exists, is not merged away and is at the version the caller saw. */
  private async lockForChange(tx: Tx, id: string, expectedVersion: number): Promise<PatientRow> {
    const current = await tx.maybeOne<PatientRow>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE id = $1 FOR UPDATE`, [id]);
    if (!current) throw notFound('The patient', 'patient-not-found');
    if (current.status === 'merged') throw conflict('patient-merged', `This record was merged into ${current.merged_into}; change the surviving record instead`);
    if (current.version !== expectedVersion) {
      throw new DomainError('precondition-failed', 'version-mismatch', `The patient was changed by someone else (now version ${current.version}); reload and try again`, {
        currentVersion: current.version,
      });
    }
    return current;
  }

  async uhidSettings(caller: Caller): Promise<{ prefix: string; nextValue: number; locked: boolean }> {
    const row = await this.db.transaction(scopeOf(caller), (tx) => tx.maybeOne<{ prefix: string; next_value: string }>('SELECT prefix, next_value FROM uhid_series'));
    const prefix = row?.prefix ?? caller.branchCode;
    const next = Number(row?.next_value ?? 1);
    return { prefix, nextValue: next, locked: next > 1 };
  }

  /** Sets the branch's UHID prefix; only before its first registration, because UHIDs are permanent. */
  async setUhidPrefix(caller: Caller, prefix: string) {
    const problem = validateUhidPrefix(prefix);
    if (problem) throw new DomainError('validation', 'validation-failed', `prefix ${problem}`, {}, [{ field: 'prefix', message: problem }]);
    try {
      await this.db.transaction(scopeOf(caller), async (tx) => {
        const row = await tx.maybeOne<{ next_value: string }>('SELECT next_value FROM uhid_series FOR UPDATE');
        if (row && Number(row.next_value) > 1) throw conflict('uhid-series-in-use', 'UHIDs were issued with the current prefix already; it can no longer change');
        await tx.query(
          `INSERT INTO uhid_series (branch_id, prefix) VALUES ($1, $2) ON CONFLICT (branch_id) DO UPDATE SET prefix = EXCLUDED.prefix, updated_at = now()`,
          [caller.branchId, prefix],
        );
      });
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation) throw conflict('uhid-prefix-taken', `Another branch uses the prefix ${prefix}`);
      throw error;
    }
    return this.uhidSettings(caller);
  }

  /**
   * The next UHID of the caller's branch. The series row stays locked until the registration
   * commits, and a rollback returns the number: UHIDs are unique and gap-free.
   */
  private async nextUhid(tx: Tx, caller: Caller): Promise<string> {
    let row = await tx.maybeOne<{ prefix: string; value: string }>(
      'UPDATE uhid_series SET next_value = next_value + 1, updated_at = now() WHERE branch_id = $1 RETURNING prefix, next_value - 1 AS value',
      [caller.branchId],
    );
    if (!row) {
      await tx.query('INSERT INTO uhid_series (branch_id, prefix) VALUES ($1, $2) ON CONFLICT (branch_id) DO NOTHING', [caller.branchId, caller.branchCode]);
      row = await tx.one<{ prefix: string; value: string }>(
        'UPDATE uhid_series SET next_value = next_value + 1, updated_at = now() WHERE branch_id = $1 RETURNING prefix, next_value - 1 AS value',
        [caller.branchId],
      );
    }
    return formatUhid(row.prefix, Number(row.value));
  }

  private async resolveUhid(tx: Tx, uhid: string): Promise<PatientRow | null> {
    const row = await tx.maybeOne<PatientRow>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE uhid = $1`, [uhid.toUpperCase()]);
    if (!row || row.status === 'active' || !row.merged_into) return row;
    return tx.maybeOne<PatientRow>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE id = $1`, [row.merged_into]);
  }

  /** Whether pg_trgm's % may filter inside an index under row-level security (asked once). */
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

  private duplicateCandidates(tx: Tx, branchId: string, phone: string | null, abha: string | null, phonetic: string, dob: string | null) {
    return tx.query<PatientRow>(
      `SELECT ${PATIENT_COLUMNS} FROM patients
       WHERE status = 'active' AND (
         ($1::text IS NOT NULL AND phone = $1)
         OR ($2::text IS NOT NULL AND abha_number = $2)
         OR ($4::date IS NOT NULL AND date_of_birth = $4::date AND similarity(phonetic_name, $3) >= $6))
         AND branch_id = $5
       LIMIT 50`,
      [phone, abha, phonetic, dob, branchId, NAME_SIMILARITY],
    );
  }

  private meta(caller: Caller, patientId: string) {
    return { key: patientId, branchId: caller.branchId, actor: actorOf(caller), correlationId: caller.correlationId };
  }
}
