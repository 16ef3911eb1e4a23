import { PatientRegistered } from '@hms/contracts-patients';
import { createEnvelope, PostgresTransport } from '@hms/platform-messaging';
import type { ServiceHarness } from '@hms/platform-service-testing';
import { eventually, type TestBranch } from '@hms/platform-testing';
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
  async register(branch: TestBranch, count: number, sex: 'M' | 'F' = 'F'): Promise<{ id: string; uhid: string; name: string }[]> {
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

  async close(): Promise<void> {
    await this.bus.close();
    await this.pool.end();
  }
}
