import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { EventDefinition, EventEnvelope } from '@hms/contracts-common';
import { PatientMerged, PatientRegistered, PatientUpdated, type PatientSummary } from '@hms/contracts-patients';
import { PatientAdmitted, PatientDischarged, PatientTransferred, type BedPlacement } from '@hms/contracts-wards';
import { createEnvelope, PostgresTransport } from '@hms/platform-messaging';
import { startServiceForTest, type ServiceHarness } from '@hms/platform-service-testing';
import { TestClock, eventually, type TestBranch } from '@hms/platform-testing';
import { indianDate } from '../src/domain';
import { pharmacyDefinition } from '../src/pharmacy.definition';

export interface FedPatient {
  id: string;
  uhid: string;
  name: string;
  version: number;
}

export interface FedAdmission {
  id: string;
  ipNumber: string;
  patientId: string;
  admittedAt: string;
}

const bed = (code: string): BedPlacement => ({
  bedId: randomUUID(),
  bedCode: code,
  roomCode: null,
  wardId: '01930000-0000-7000-8000-00000000ee01',
  wardCode: 'GEN-1',
  categoryCode: 'GENERAL',
  isCriticalCare: false,
  dailyRatePaise: 150_000,
});

/**
 * Publishes, onto the bus, the events the patients and wards services publish, so the pharmacy's
 * read models learn patients and admissions as they would in production (as wards' PatientFeed
 * does for its own read model). Each call waits until the pharmacy has taken the event in.
 */
export class CareFeed {
  private readonly pool: Pool;
  private readonly bus: PostgresTransport;
  private counter = 0;

  constructor(private readonly h: ServiceHarness) {
    this.pool = new Pool({ connectionString: h.db.url, max: 2 });
    this.bus = new PostgresTransport({ pool: this.pool, connectionString: h.db.url });
  }

  /** Registers a patient in `branch` and waits until the pharmacy knows them. */
  async registerPatient(branch: TestBranch, name?: string): Promise<FedPatient> {
    this.counter++;
    const patient = { id: randomUUID(), uhid: `${branch.code}${String(this.counter).padStart(8, '0')}`, name: name ?? `Patient ${this.counter}`, version: 1 };
    await this.publishAndWait(branch, PatientRegistered, summary(patient), patient.id);
    return patient;
  }

  /** Announces a change of the patient's record at `version` and waits until the pharmacy has taken the event in (applied or not). */
  async updatePatient(branch: TestBranch, patient: FedPatient, change: { name?: string; version: number; status?: 'active' | 'merged' }): Promise<FedPatient> {
    const next = { ...patient, name: change.name ?? patient.name, version: change.version };
    await this.publishAndWait(branch, PatientUpdated, { ...summary(next, change.status), changedFields: ['name'] }, patient.id);
    return next;
  }

  /** Announces the registration again, as a late or repeated delivery would bring it (a new event id, the old version). */
  async registerAgain(branch: TestBranch, patient: FedPatient): Promise<void> {
    await this.publishAndWait(branch, PatientRegistered, summary(patient), patient.id);
  }

  /** Announces that `merged` was merged into `survivor`, and waits until the pharmacy has taken it in. */
  async merge(branch: TestBranch, merged: FedPatient, survivor: FedPatient): Promise<void> {
    await this.publishAndWait(branch, PatientMerged, { survivorId: survivor.id, survivorUhid: survivor.uhid, mergedPatientId: merged.id, mergedUhid: merged.uhid }, survivor.id);
  }

  /** Admits the patient (as the wards service announces it) and waits until the pharmacy knows the admission. */
  async admit(branch: TestBranch, patient: FedPatient, admittedAt = new Date()): Promise<FedAdmission> {
    this.counter++;
    const admission = { id: randomUUID(), ipNumber: `IP/${branch.code}/${String(this.counter).padStart(6, '0')}`, patientId: patient.id, admittedAt: admittedAt.toISOString() };
    await this.publishAndWait(
      branch,
      PatientAdmitted,
      {
        admissionId: admission.id,
        ipNumber: admission.ipNumber,
        patientId: patient.id,
        uhid: patient.uhid,
        admittedAt: admission.admittedAt,
        admissionType: 'emergency',
        department: 'General medicine',
        admittingDoctor: { id: 'DOC-17', name: 'Dr. Meera Rao' },
        expectedDischargeAt: null,
        depositReference: null,
        bed: bed('B1'),
      },
      admission.id,
    );
    return admission;
  }

  /** Moves the patient to another bed at `at`; waits until the pharmacy has taken the event in. */
  async transfer(branch: TestBranch, admission: FedAdmission, at: Date): Promise<void> {
    await this.publishAndWait(
      branch,
      PatientTransferred,
      { admissionId: admission.id, ipNumber: admission.ipNumber, patientId: admission.patientId, transferredAt: at.toISOString(), reason: 'Needs monitoring', from: bed('B1'), to: bed('B7') },
      admission.id,
    );
  }

  /** Discharges the admission at `at`; waits until the pharmacy has taken the event in. */
  async discharge(branch: TestBranch, admission: FedAdmission, at = new Date()): Promise<void> {
    await this.publishAndWait(
      branch,
      PatientDischarged,
      {
        admissionId: admission.id,
        ipNumber: admission.ipNumber,
        patientId: admission.patientId,
        dischargedAt: at.toISOString(),
        dischargeType: 'normal',
        admittedAt: admission.admittedAt,
        bed: bed('B1'),
        billingClearance: 'cleared',
        duesPaise: null,
      },
      admission.id,
    );
  }

  /**
   * Publishes one event and waits until the pharmacy's consumer has recorded it in its inbox: the
   * handler ran and committed in the same transaction, whether or not it changed anything.
   */
  async publishAndWait<T>(branch: TestBranch, definition: EventDefinition<T>, data: T, key: string): Promise<EventEnvelope<T>> {
    const source = definition.type.split('.')[0];
    const envelope = createEnvelope(definition, data, { key, branchId: branch.id, actor: { type: 'system', id: 'test' }, source });
    await this.bus.publish([{ topic: definition.topic, envelope }]);
    await eventually(
      async () => {
        const rows = await this.h.db.admin('SELECT 1 FROM pharmacy.inbox WHERE event_id = $1', [envelope.id]);
        if (!rows.length) throw new Error(`${definition.type} ${envelope.id} not taken in yet`);
        const parked = await this.h.db.admin<{ error: string }>('SELECT error FROM pharmacy.dead_letters WHERE event_id = $1', [envelope.id]);
        if (parked.length) throw new Error(`parked: ${parked[0].error}`);
      },
      { what: `the pharmacy to take in ${definition.type}` },
    );
    return envelope;
  }

  async close(): Promise<void> {
    await this.bus.close();
    await this.pool.end();
  }
}

function summary(p: FedPatient, status: 'active' | 'merged' = 'active'): PatientSummary {
  return {
    patientId: p.id,
    uhid: p.uhid,
    name: p.name,
    sex: 'F',
    dateOfBirth: '1968-03-09',
    dateOfBirthEstimated: false,
    phone: null,
    abhaNumber: null,
    abhaAddress: null,
    status,
    version: p.version,
  };
}

/** Each running pharmacy's clock, as startPharmacy handed it to the service kit. */
const clocks = new WeakMap<ServiceHarness, TestClock>();

/** A pharmacy service on its own database and its own TestClock (the service's CLOCK). */
export async function startPharmacy(testFile: string, env: Record<string, string> = {}): Promise<ServiceHarness> {
  const clock = new TestClock();
  const h = await startServiceForTest(pharmacyDefinition, testFile, env, { clock });
  clocks.set(h, clock);
  return h;
}

/**
 * The running pharmacy's own clock, and dates relative to it: tests never name a date that the
 * real calendar will overtake. `at` moves the service's time; `reset` puts it back on the real
 * clock.
 */
export function serviceClock(h: ServiceHarness) {
  const clock = clocks.get(h);
  if (!clock) throw new Error('serviceClock needs a pharmacy started by startPharmacy');
  const helpers = {
    now: () => clock.now(),
    /** Today in India by the service's clock. */
    today: () => indianDate(clock.now()),
    /** The date `days` from today by the service's clock (negative: before). */
    inDays: (days: number) => addDays(indianDate(clock.now()), days),
    /** Sets the service's time to `instant`. */
    at(instant: Date | string): void {
      clock.set(instant);
    },
    /** Moves the service's time by whole days from now (its real time, or the time it was set to). */
    shiftDays(days: number): void {
      helpers.at(new Date(clock.now().getTime() + days * 86_400_000));
    },
    reset(): void {
      clock.reset();
    },
  };
  return helpers;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
