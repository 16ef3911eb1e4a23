import { Pool } from 'pg';
import type { EventEnvelope } from '@hms/contracts-common';
import { PatientRegistered } from '@hms/contracts-patients';
import { createEnvelope, PostgresTransport } from '@hms/platform-messaging';
import { startServiceForTest, type ServiceHarness } from '@hms/platform-service-testing';
import { auditDefinition } from '../src/audit.definition';

/** The patient the seeded events are about, unless a test names another. */
export const PATIENT_ID = '01a20000-0000-7000-8000-000000000001';

/**
 * The audit service on its own database, and the bus the other services publish on (the audit
 * service consumes every topic), for tests to publish events that it then appends to its trail.
 */
export interface AuditUnderTest {
  h: ServiceHarness;
  bus: PostgresTransport;
  stop(): Promise<void>;
}

export async function startAudit(label: string): Promise<AuditUnderTest> {
  const h = await startServiceForTest(auditDefinition, label);
  const busPool = new Pool({ connectionString: h.db.url, max: 2 });
  const bus = new PostgresTransport({ pool: busPool, connectionString: h.db.url });
  return {
    h,
    bus,
    async stop() {
      await bus.close();
      await busPool.end();
      await h.stop();
    },
  };
}

/** The patients service's event for the `i`th patient registered (a distinct UHID and name each). */
export function patientRegistered(i: number, branchId: string, patientId = PATIENT_ID): EventEnvelope {
  return createEnvelope(
    PatientRegistered,
    {
      patientId,
      uhid: `TEST${String(i).padStart(8, '0')}`,
      name: `Patient ${i}`,
      sex: 'F',
      dateOfBirth: '1980-01-01',
      dateOfBirthEstimated: false,
      phone: null,
      abhaNumber: null,
      abhaAddress: null,
      status: 'active',
      version: 1,
    },
    { key: patientId, branchId, actor: { type: 'user', id: 'user-1' }, source: 'patients' },
  );
}

/** Publishes `count` registrations in `branchId`, numbered from `from`; returns the envelopes sent. */
export async function publishRegistrations(bus: PostgresTransport, count: number, from: number, branchId: string): Promise<EventEnvelope[]> {
  const envelopes = Array.from({ length: count }, (_, i) => patientRegistered(from + i, branchId));
  await bus.publish(envelopes.map((envelope) => ({ topic: PatientRegistered.topic, envelope })));
  return envelopes;
}

/** How many entries the trail holds, every branch's. */
export async function countEntries(h: ServiceHarness): Promise<number> {
  return Number((await h.db.admin<{ n: string }>('SELECT count(*) AS n FROM audit.entries'))[0].n);
}

/**
 * Changes the trail behind the service's back, as an attacker with database access would: as the
 * table owner, with the append-only triggers off for the one statement.
 */
export async function tamperWithEntries(h: ServiceHarness, sql: string, params: unknown[] = []): Promise<void> {
  await h.db.admin('ALTER TABLE audit.entries DISABLE TRIGGER USER');
  try {
    await h.db.admin(sql, params);
  } finally {
    await h.db.admin('ALTER TABLE audit.entries ENABLE TRIGGER USER');
  }
}
