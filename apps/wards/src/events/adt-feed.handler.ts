import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@hms/contracts-common';
import {
  PatientAdmitted,
  PatientDischarged,
  PatientTransferred,
  type BedPlacement,
  type DischargeType,
  type PatientAdmittedData,
  type PatientDischargedData,
  type PatientTransferredData,
} from '@hms/contracts-wards';
import type { Tx } from '@hms/platform-persistence';
import { CLOCK, type Clock } from '@hms/platform-time';
import { AdmissionsRepository } from '../data/admissions.repository';
import { Hl7FeedRepository } from '../data/hl7-feed.repository';
import { buildAdtMessage, controlIdFor, type AdtTrigger, type Hl7Location } from '../domain/hl7';
import { EventContext } from '@hms/platform-service';

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
@Controller()
export class AdtFeedHandler {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly feed: Hl7FeedRepository,
    private readonly admissions: AdmissionsRepository,
  ) {}

  @EventPattern<string>(PatientAdmitted.type)
  admitted(@Payload() e: EventEnvelope, @Ctx() { tx }: EventContext): Promise<void> {
    const d = e.data as PatientAdmittedData;
    return this.record(tx, e, 'A01', d.admissionId, { occurredAt: d.admittedAt, location: locationOf(d.bed) });
  }

  @EventPattern<string>(PatientTransferred.type)
  transferred(@Payload() e: EventEnvelope, @Ctx() { tx }: EventContext): Promise<void> {
    const d = e.data as PatientTransferredData;
    return this.record(tx, e, 'A02', d.admissionId, { occurredAt: d.transferredAt, location: locationOf(d.to), priorLocation: locationOf(d.from) });
  }

  @EventPattern<string>(PatientDischarged.type)
  discharged(@Payload() e: EventEnvelope, @Ctx() { tx }: EventContext): Promise<void> {
    const d = e.data as PatientDischargedData;
    return this.record(tx, e, 'A03', d.admissionId, {
      occurredAt: d.dischargedAt,
      location: locationOf(d.bed),
      discharge: { at: new Date(d.dischargedAt), type: d.dischargeType },
    });
  }

  private async record(tx: Tx, envelope: EventEnvelope, trigger: AdtTrigger, admissionId: string, moment: Moment): Promise<void> {
    const branchId = envelope.branchId;
    if (!branchId) throw new Error('an admission event without a branch');
    // One writer per branch at a time: sequence numbers then commit in order.
    await this.feed.lockBranchFeed(tx, branchId);
    if (await this.feed.hasMessageFor(tx, envelope.id)) return;

    const a = await this.admissions.forInterop(tx, admissionId, branchId);
    if (!a) throw new Error(`admission ${admissionId} of an admission event is missing`);
    const seq = await this.feed.nextSeq(tx);
    const controlId = controlIdFor(seq);

    const message = buildAdtMessage({
      trigger,
      controlId,
      createdAt: this.clock.now(),
      // Until the gateway's event about the branch has arrived, its id stands in for its code.
      branchCode: a.branchCode ?? branchId,
      event: {
        recordedAt: new Date(envelope.occurredAt),
        occurredAt: new Date(moment.occurredAt),
        operator: { id: envelope.actor.id, name: envelope.actor.name ?? null },
      },
      patient: { uhid: a.patientUhid, name: a.patientName, sex: a.patientSex, dateOfBirth: a.patientDateOfBirth },
      visit: {
        ipNumber: a.ipNumber,
        admissionType: a.admissionType,
        attendingDoctor: { id: a.admittingDoctorId, name: a.admittingDoctorName },
        reason: a.reason,
        admittedAt: a.admittedAt,
        expectedDischargeAt: a.expectedDischargeAt,
        location: moment.location,
        priorLocation: moment.priorLocation ?? null,
        discharge: moment.discharge ?? null,
      },
    });
    await this.feed.insertMessage(tx, { seq, branchId, eventId: envelope.id, triggerEvent: trigger, controlId, admissionId, message });
  }
}
