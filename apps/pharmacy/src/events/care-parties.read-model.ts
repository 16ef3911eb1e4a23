import { Injectable } from '@nestjs/common';
import type { Tx } from '@hms/platform-persistence';
import { AdmissionsRepository } from '../data/admissions.repository';
import { PatientsRepository } from '../data/patients.repository';
import type { KnownAdmission, KnownPatient } from '../domain';

/** Merge chains are short (a duplicate of a duplicate); a loop in bad data must not spin forever. */
const MAX_MERGE_HOPS = 10;

/** Patients and admissions as the read models know them, merges followed. */
@Injectable()
export class CarePartiesReadModel {
  constructor(
    private readonly patients: PatientsRepository,
    private readonly admissions: AdmissionsRepository,
  ) {}

  /**
   * The patient as the read model knows them, in the caller's branch, or null. A merged-away record
   * comes with the record at the end of its merge chain (a survivor merged away later points on).
   */
  async findPatient(tx: Tx, branchId: string, patientId: string): Promise<KnownPatient | null> {
    const row = await this.patients.find(tx, branchId, patientId);
    if (!row) return null;
    if (row.status !== 'merged') return { patientId: row.patientId, uhid: row.uhid, name: row.name, status: 'active', survivor: null };
    let survivor = row.mergedInto ? { patientId: row.mergedInto, uhid: row.mergedIntoUhid } : null;
    for (let hop = 0; survivor && hop < MAX_MERGE_HOPS; hop++) {
      const next = await this.patients.find(tx, branchId, survivor.patientId);
      if (!next) break;
      survivor = { patientId: next.patientId, uhid: next.uhid ?? survivor.uhid };
      if (next.status !== 'merged' || !next.mergedInto) break;
      survivor = { patientId: next.mergedInto, uhid: next.mergedIntoUhid };
    }
    return { patientId: row.patientId, uhid: row.uhid, name: row.name, status: 'merged', survivor };
  }

  /**
   * The admission as the read model knows it, in the caller's branch, or null; its patient is
   * followed through merges, as the wards service moves a merged-away record's stays to the survivor.
   */
  async findAdmission(tx: Tx, branchId: string, admissionId: string): Promise<KnownAdmission | null> {
    const row = await this.admissions.find(tx, branchId, admissionId);
    if (!row) return null;
    const patient = await this.findPatient(tx, branchId, row.patientId);
    return {
      admissionId: row.admissionId,
      ipNumber: row.ipNumber,
      status: row.status,
      dischargedAt: row.dischargedAt?.toISOString() ?? null,
      patientId: patient?.survivor?.patientId ?? row.patientId,
    };
  }

  /** A patient id and every record merged into it: one person's ids. */
  idsOfPerson(tx: Tx, branchId: string, patientId: string): Promise<string[]> {
    return this.patients.idsOfPerson(tx, branchId, patientId);
  }
}
