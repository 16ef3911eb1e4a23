import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { EventEnvelope } from '@hms/contracts-common';
import {
  PatientAdmitted,
  PatientDischarged,
  PatientTransferred,
  type AdmissionType,
  type BedPlacement,
  type DischargeType,
  type PatientAdmittedData,
  type PatientDischargedData,
  type PatientTransferredData,
} from '@hms/contracts-wards';
import { EventConsumer } from '@hms/platform-messaging';
import type { Tx } from '@hms/platform-persistence';
import { CLOCK, type Clock } from '@hms/platform-time';
import { buildAdtMessage, controlIdFor, type AdtTrigger, type Hl7Location } from './domain/hl7';

interface AdmissionFacts {
  ip_number: string;
  admission_type: AdmissionType;
  admitted_at: Date;
  admitting_doctor_id: string | null;
  admitting_doctor_name: string;
  reason: string;
  expected_discharge_at: Date | null;
  uhid: string;
  patient_name: string;
  sex: string;
  date_of_birth: string | null;
}

/** What the event itself says: when, and where the patient lay. */
interface Moment {
  occurredAt: string;
  location: Hl7Location;
  priorLocation?: Hl7Location;
  discharge?: { at: Date; type: DischargeType };
}

const locationOf = (bed: BedPlacement): Hl7Location => ({ ward: bed.wardCode, room: bed.roomCode, bed: bed.bedCode });

/**
 * The HL7 v2 ADT feed: one message per admission event, written in the consumer's inbox
 * transaction, so a redelivered event finds its message already there.
 *
 * Where the patient lay and when things happened come from the event, so a message built late
 * still describes its moment; the patient's and the admission's lasting facts come from tables.
 */
@Injectable()
export class AdtFeedProjection implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.consumer.on(PatientAdmitted.type, (e, tx) => {
      const d = e.data as PatientAdmittedData;
      return this.record(tx, e, 'A01', d.admissionId, { occurredAt: d.admittedAt, location: locationOf(d.bed) });
    });
    this.consumer.on(PatientTransferred.type, (e, tx) => {
      const d = e.data as PatientTransferredData;
      return this.record(tx, e, 'A02', d.admissionId, { occurredAt: d.transferredAt, location: locationOf(d.to), priorLocation: locationOf(d.from) });
    });
    this.consumer.on(PatientDischarged.type, (e, tx) => {
      const d = e.data as PatientDischargedData;
      return this.record(tx, e, 'A03', d.admissionId, {
        occurredAt: d.dischargedAt,
        location: locationOf(d.bed),
        discharge: { at: new Date(d.dischargedAt), type: d.dischargeType },
      });
    });
  }

  private async record(
    tx: Tx,
    envelope: EventEnvelope,
    trigger: AdtTrigger,
    admissionId: string,
    moment: Moment,
  ): Promise<void> {
    const branchId = envelope.branchId;
    if (!branchId) throw new Error('an admission event without a branch');
    // One writer per branch at a time: sequence numbers then commit in order, so a subscriber
    // that acknowledged seq n can never find a smaller one appearing later.
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`hms.wards.hl7-feed:${branchId}`]);
    if (await tx.maybeOne('SELECT 1 FROM hl7_messages WHERE event_id = $1', [envelope.id])) return;

    const a = await tx.maybeOne<AdmissionFacts>(
      `SELECT a.ip_number, a.admission_type, a.admitted_at, a.admitting_doctor_id, a.admitting_doctor_name, a.reason, a.expected_discharge_at,
              p.uhid, p.name AS patient_name, p.sex, to_char(p.date_of_birth, 'YYYY-MM-DD') AS date_of_birth
       FROM admissions a JOIN patients p ON p.patient_id = a.patient_id
       WHERE a.id = $1 AND a.branch_id = $2`,
      [admissionId, branchId],
    );
    if (!a) throw new Error(`admission ${admissionId} of an admission event is missing`);
    const branch = await tx.maybeOne<{ code: string }>('SELECT code FROM branches WHERE branch_id = $1', [branchId]);
    const seq = Number((await tx.one<{ seq: string }>(`SELECT nextval(pg_get_serial_sequence('hl7_messages', 'seq')) AS seq`)).seq);
    const controlId = controlIdFor(seq);

    const message = buildAdtMessage({
      trigger,
      controlId,
      createdAt: this.clock.now(),
      // Until the gateway's event about the branch has arrived, its id stands in for its code.
      branchCode: branch?.code ?? branchId,
      event: {
        recordedAt: new Date(envelope.occurredAt),
        occurredAt: new Date(moment.occurredAt),
        operator: { id: envelope.actor.id, name: envelope.actor.name ?? null },
      },
      patient: { uhid: a.uhid, name: a.patient_name, sex: a.sex, dateOfBirth: a.date_of_birth },
      visit: {
        ipNumber: a.ip_number,
        admissionType: a.admission_type,
        attendingDoctor: { id: a.admitting_doctor_id, name: a.admitting_doctor_name },
        reason: a.reason,
        admittedAt: a.admitted_at,
        expectedDischargeAt: a.expected_discharge_at,
        location: moment.location,
        priorLocation: moment.priorLocation ?? null,
        discharge: moment.discharge ?? null,
      },
    });
    await tx.query(
      `INSERT INTO hl7_messages (seq, branch_id, event_id, trigger_event, control_id, admission_id, message)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING`,
      [seq, branchId, envelope.id, trigger, controlId, admissionId, message],
    );
  }
}
