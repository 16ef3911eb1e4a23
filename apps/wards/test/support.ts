import type { EventDefinition, EventEnvelope } from '@hms/contracts-common';
import { PatientMerged, PatientRegistered, type Sex } from '@hms/contracts-patients';
import { createEnvelope, PostgresTransport } from '@hms/platform-messaging';
import type { ServiceHarness } from '@hms/platform-service-testing';
import { eventually, type HttpClient, type TestBranch } from '@hms/platform-testing';
import { Pool } from 'pg';
import { randomUUID } from 'node:crypto';

/** Publishes patients-service events onto the bus so the wards read model learns the patients. */
export class PatientFeed {
  private readonly pool: Pool;
  private readonly bus: PostgresTransport;
  private counter = 0;

  constructor(private readonly h: ServiceHarness) {
    this.pool = new Pool({ connectionString: h.db.url, max: 2 });
    this.bus = new PostgresTransport({ pool: this.pool, connectionString: h.db.url });
  }

  /** Registers `count` patients in `branch` and waits until the wards service knows them all. */
  async register(branch: TestBranch, count: number, sex: Sex = 'F'): Promise<{ id: string; uhid: string; name: string }[]> {
    const patients = Array.from({ length: count }, () => {
      this.counter++;
      return { id: randomUUID(), uhid: `${branch.code}${String(this.counter).padStart(8, '0')}`, name: `Patient ${this.counter}` };
    });
    await this.bus.publish(
      patients.map((p) => ({
        topic: PatientRegistered.topic,
        envelope: createEnvelope(
          PatientRegistered,
          {
            patientId: p.id,
            uhid: p.uhid,
            name: p.name,
            sex,
            dateOfBirth: '1980-01-01',
            dateOfBirthEstimated: false,
            phone: null,
            abhaNumber: null,
            abhaAddress: null,
            status: 'active' as const,
            version: 1,
          },
          { key: p.id, branchId: branch.id, actor: { type: 'system', id: 'test' }, source: 'patients' },
        ),
      })),
    );
    const ids = patients.map((p) => p.id);
    await eventually(
      async () => {
        const rows = await this.h.db.admin<{ n: string }>('SELECT count(*) AS n FROM wards.patients WHERE patient_id = ANY($1::uuid[])', [ids]);
        if (Number(rows[0].n) !== count) throw new Error(`${rows[0].n} of ${count} patients known`);
      },
      { what: 'the wards read model to know the new patients' },
    );
    return patients;
  }

  /** Announces, as the patients service does, that `merged` was merged into `survivor`, and waits until the wards service knows. */
  async merge(branch: TestBranch, merged: { id: string; uhid: string }, survivor: { id: string; uhid: string }): Promise<void> {
    await this.bus.publish([
      {
        topic: PatientMerged.topic,
        envelope: createEnvelope(
          PatientMerged,
          { survivorId: survivor.id, survivorUhid: survivor.uhid, mergedPatientId: merged.id, mergedUhid: merged.uhid },
          { key: survivor.id, branchId: branch.id, actor: { type: 'system', id: 'test' }, source: 'patients' },
        ),
      },
    ]);
    await eventually(
      async () => {
        const rows = await this.h.db.admin<{ status: string }>('SELECT status FROM wards.patients WHERE patient_id = $1', [merged.id]);
        if (rows[0]?.status !== 'merged') throw new Error(`the merged record is ${rows[0]?.status ?? 'unknown'}`);
      },
      { what: 'the wards read model to learn of the merge' },
    );
  }

  async close(): Promise<void> {
    await this.bus.close();
    await this.pool.end();
  }
}

export interface WardSetup {
  ward: { id: string; code: string };
  bedIds: string[];
  category: { id: string; code: string };
}

/**
 * Creates the default categories (if missing), a ward `code` and `beds` beds `B1..Bn` of one
 * category, through the API with a token that has wards:manage.
 */
export async function setUpWard(
  http: HttpClient,
  token: string,
  code: string,
  beds: number,
  options: { categoryCode?: string; genderPolicy?: 'male' | 'female' | 'mixed'; branchId?: string } = {},
): Promise<WardSetup> {
  const auth = { token, branchId: options.branchId };
  const defaults = await http.post('/api/v1/wards/bed-categories/defaults', undefined, auth);
  if (defaults.status !== 200) throw new Error(`default categories: ${defaults.status} ${defaults.text}`);
  const category = (defaults.body.items as { id: string; code: string }[]).find((c) => c.code === (options.categoryCode ?? 'GENERAL'));
  if (!category) throw new Error(`no category ${options.categoryCode}`);
  const ward = await http.post('/api/v1/wards/wards', { code, name: `Ward ${code}`, genderPolicy: options.genderPolicy ?? 'mixed' }, auth);
  if (ward.status !== 201) throw new Error(`ward ${code}: ${ward.status} ${ward.text}`);
  const bedIds: string[] = [];
  for (let i = 1; i <= beds; i++) {
    const bed = await http.post('/api/v1/wards/beds', { wardId: ward.body.id, code: `B${i}`, categoryId: category.id }, auth);
    if (bed.status !== 201) throw new Error(`bed B${i}: ${bed.status} ${bed.text}`);
    bedIds.push(bed.body.id);
  }
  return { ward: { id: ward.body.id, code }, bedIds, category: { id: category.id, code: category.code } };
}

/** A valid admission request body. */
export function admitBody(patientId: string, bedId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    patientId,
    bedId,
    admittingDoctor: { id: 'DOC-17', name: 'Dr. Meera Rao' },
    department: 'General medicine',
    reason: 'Fever for five days',
    admissionType: 'emergency',
    expectedStayDays: 3,
    ...extra,
  };
}

/** The events of one type the wards service wrote to its outbox, oldest first (optionally those naming an admission or a bed as key). */
export async function outboxEvents<T>(h: ServiceHarness, definition: EventDefinition<T>, key?: string): Promise<EventEnvelope<T>[]> {
  const rows = await h.db.admin<{ envelope: EventEnvelope<T> }>(
    `SELECT envelope FROM wards.outbox WHERE envelope->>'type' = $1 AND ($2::text IS NULL OR key = $2) ORDER BY seq`,
    [definition.type, key ?? null],
  );
  return rows.map((r) => r.envelope);
}

/** Today's date in India (tariffs take effect by Indian date). */
export function indianToday(): string {
  return new Date(Date.now() + 5.5 * 3600_000).toISOString().slice(0, 10);
}
