import { GENESIS_HASH, canonicalJson, checkRun, entryHash, type ChainedFields } from './hash-chain';

const entry = (seq: number): ChainedFields => ({
  seq,
  id: `id-${seq}`,
  eventId: `ev-${seq}`,
  type: 'patients.patient.registered',
  source: 'patients',
  occurredAt: '2026-04-01T00:00:00.000Z',
  branchId: null,
  actorType: 'user',
  actorId: 'u1',
  patientIds: [],
  correlationId: null,
  data: { name: `P ${seq}`, nested: { b: 1, a: 2 } },
});

function chain(n: number) {
  let prev = GENESIS_HASH;
  return Array.from({ length: n }, (_, i) => {
    const fields = entry(i + 1);
    const hash = entryHash(prev, fields);
    const linked = { ...fields, prevHash: prev, hash };
    prev = hash;
    return linked;
  });
}

describe('hash chain', () => {
  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 1, x: 2 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 2, y: 1 }] }, b: 1 }));
  });
  it('an intact chain checks out', () => {
    expect(checkRun({ seq: 0, hash: GENESIS_HASH }, chain(10)).problem).toBeNull();
  });
  it('finds an altered, a removed and a reordered entry', () => {
    const altered = chain(10);
    altered[3] = { ...altered[3], data: { name: 'Someone else' } };
    expect(checkRun({ seq: 0, hash: GENESIS_HASH }, altered).problem).toMatchObject({ id: 'id-4', reason: 'the entry was altered' });
    const removed = chain(10).filter((e) => e.seq !== 5);
    expect(checkRun({ seq: 0, hash: GENESIS_HASH }, removed).problem).toMatchObject({ id: 'id-6' });
    const swapped = chain(10);
    [swapped[6], swapped[7]] = [
      { ...swapped[7], seq: 7 },
      { ...swapped[6], seq: 8 },
    ];
    expect(checkRun({ seq: 0, hash: GENESIS_HASH }, swapped).problem).toMatchObject({ id: 'id-8' });
  });
});
