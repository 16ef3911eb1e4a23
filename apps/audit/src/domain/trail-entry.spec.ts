import type { EventEnvelope } from '@hms/contracts-common';
import { GENESIS, linkAfter } from './hash-chain';
import { trailFieldsOf } from './trail-entry';

const envelope = (overrides: Partial<EventEnvelope> = {}): EventEnvelope => ({
  id: '01931b2c-0000-7000-8000-0000000000e1',
  type: 'patients.patient.registered',
  version: 1,
  occurredAt: '2026-04-01T09:30:00+05:30',
  source: 'patients',
  branchId: '01931b2c-0000-7000-8000-0000000000b1',
  key: '01a20000-0000-7000-8000-000000000001',
  actor: { type: 'user', id: 'user-1' },
  correlationId: null,
  causationId: null,
  data: { patientId: '01a20000-0000-7000-8000-000000000001', name: 'Patient 42', uhid: 'TEST00000042', phone: null },
  ...overrides,
});

const position = { seq: 42, id: '01931b2c-0000-7000-8000-000000000042' };

describe('trail entry', () => {
  it('records an event with its instant in UTC and the patients it is about', () => {
    expect(trailFieldsOf(envelope(), position)).toEqual({
      seq: 42,
      id: position.id,
      eventId: '01931b2c-0000-7000-8000-0000000000e1',
      type: 'patients.patient.registered',
      source: 'patients',
      occurredAt: '2026-04-01T04:00:00.000Z',
      branchId: '01931b2c-0000-7000-8000-0000000000b1',
      actorType: 'user',
      actorId: 'user-1',
      patientIds: ['01a20000-0000-7000-8000-000000000001'],
      correlationId: null,
      data: { patientId: '01a20000-0000-7000-8000-000000000001', name: 'Patient 42', uhid: 'TEST00000042', phone: null },
    });
  });

  it('keeps the payload as jsonb will give it back: no undefined, dates as strings, null for none', () => {
    const data = { at: new Date('2026-04-01T00:00:00Z'), gone: undefined, list: [1, undefined] };
    expect(trailFieldsOf(envelope({ data }), position).data).toEqual({ at: '2026-04-01T00:00:00.000Z', list: [1, null] });
    expect(trailFieldsOf(envelope({ data: undefined }), position).data).toBeNull();
  });

  it('records an event without a user as the system', () => {
    expect(trailFieldsOf(envelope({ actor: { type: 'system', id: 'wards' } }), position)).toMatchObject({ actorType: 'system', actorId: 'wards' });
    // Events come off the wire: one without an actor is still recorded.
    expect(trailFieldsOf(envelope({ actor: undefined as unknown as EventEnvelope['actor'] }), position)).toMatchObject({ actorType: 'system', actorId: 'unknown' });
  });

  // The trail already stored must keep verifying: which fields are hashed, and how, never changes.
  it('hashes a new entry exactly as the entries already in the trail were hashed', () => {
    const link = linkAfter(GENESIS, trailFieldsOf(envelope(), position));
    expect(link.prevHash).toBe(GENESIS.hash);
    expect(link.hash).toBe('ecfb59b1d8902cbfa64d07465b189f5df9b633b445b6cf77c2876b8dbd1d0835');
  });
});
