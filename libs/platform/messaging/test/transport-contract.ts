import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@hms/contracts-common';
import { uuidv7 } from '@hms/platform-persistence';
import { eventually } from '@hms/platform-testing';
import type { DeliveredMessage, EventTransport, MessageHandler, OutgoingMessage } from '../src/transport';

/**
 * The semantics every `EventTransport` must keep (see transport.ts and the architecture brief):
 * delivery to every group, per-key order, independent groups, replay from the start for a new
 * group, redelivery of what was not completed, and sharing of partitions within a group.
 * `postgres-transport.int-spec.ts` and `kafka-transport.int-spec.ts` run it.
 */
export interface TransportFixture {
  /** A transport the suite publishes with. */
  transport: EventTransport;
  /** Another transport on the same bus, as another process would hold; closed by `cleanup` too. */
  newTransport(): Promise<EventTransport>;
  cleanup(): Promise<void>;
}

export interface ContractOptions {
  /** How long to wait for deliveries (a real broker rebalances in seconds, not milliseconds). */
  waitMs?: number;
}

interface Payload {
  seq: number;
}

const seqOf = (envelope: EventEnvelope): number => (envelope.data as Payload).seq;

function outgoing(topic: string, key: string, seq: number): OutgoingMessage {
  const envelope: EventEnvelope<Payload> = {
    id: uuidv7(),
    type: 'contract.test.happened',
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'transport-contract',
    branchId: null,
    key,
    actor: { type: 'system', id: 'transport-contract' },
    correlationId: null,
    causationId: null,
    data: { seq },
  };
  return { topic, envelope };
}

/** `count` messages over `keys` keys, interleaved so that every batch mixes keys. */
function messages(topic: string, count: number, keys: number): OutgoingMessage[] {
  return Array.from({ length: count }, (_, i) => outgoing(topic, `k${(i * 7) % keys}`, i));
}

async function publishInBatches(transport: EventTransport, list: readonly OutgoingMessage[], batch: number): Promise<void> {
  for (let i = 0; i < list.length; i += batch) await transport.publish(list.slice(i, i + batch));
}

interface Success {
  member: string;
  message: DeliveredMessage;
}

/**
 * Records what handlers saw, per consumer group: completed deliveries in completion order,
 * every attempt, and any two handlers running at once for the same key (a per-key order breach).
 */
class Recorder {
  readonly successes: Success[] = [];
  readonly attempts = new Map<string, number>();
  readonly overlaps: string[] = [];
  private readonly running = new Map<string, number>();

  handler(member: string, before?: (message: DeliveredMessage, attempt: number) => Promise<void> | void): MessageHandler {
    return async (message) => {
      const { id, key } = message.envelope;
      const attempt = (this.attempts.get(id) ?? 0) + 1;
      this.attempts.set(id, attempt);
      const busy = this.running.get(key) ?? 0;
      if (busy > 0) this.overlaps.push(`${key}: seq ${seqOf(message.envelope)} delivered while another message of the key was in a handler`);
      this.running.set(key, busy + 1);
      try {
        await before?.(message, attempt);
        this.successes.push({ member, message });
      } finally {
        this.running.set(key, (this.running.get(key) ?? 1) - 1);
      }
    };
  }

  successIds(): string[] {
    return this.successes.map((s) => s.message.envelope.id);
  }

  /** Ids in `expected` not (yet) handled successfully. */
  missing(expected: readonly OutgoingMessage[]): string[] {
    const done = new Set(this.successIds());
    return expected.map((m) => m.envelope.id).filter((id) => !done.has(id));
  }

  /** Per key, the ids in completion order. */
  byKey(): Map<string, string[]> {
    const map = new Map<string, string[]>();
    for (const s of this.successes) {
      const list = map.get(s.message.envelope.key) ?? [];
      list.push(s.message.envelope.id);
      map.set(s.message.envelope.key, list);
    }
    return map;
  }

  /**
   * At-least-once per-key order: whenever a message completed, every earlier message of its key
   * had completed before it (a redelivery may repeat messages, but never skip ahead).
   */
  orderBreaches(expected: readonly OutgoingMessage[]): string[] {
    const position = new Map<string, { key: string; index: number }>();
    const perKey = expectedByKey(expected);
    for (const [key, ids] of perKey) ids.forEach((id, index) => position.set(id, { key, index }));
    const done = new Set<string>();
    const breaches: string[] = [];
    for (const s of this.successes) {
      const id = s.message.envelope.id;
      const at = position.get(id);
      if (!at) continue;
      const earlier = perKey.get(at.key)!.slice(0, at.index);
      const skipped = earlier.filter((e) => !done.has(e));
      if (skipped.length) breaches.push(`${at.key}: message #${at.index} completed before ${skipped.length} earlier message(s) of its key`);
      done.add(id);
    }
    return breaches;
  }
}

function expectedByKey(list: readonly OutgoingMessage[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const m of list) {
    const ids = map.get(m.envelope.key) ?? [];
    ids.push(m.envelope.id);
    map.set(m.envelope.key, ids);
  }
  return map;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function transportContract(name: string, factory: () => Promise<TransportFixture>, options: ContractOptions = {}): void {
  const waitMs = options.waitMs ?? 15_000;
  const testTimeout = waitMs * 3;

  describe(`${name} transport contract`, () => {
    let fx: TransportFixture;
    const opened: EventTransport[] = [];

    const run = Date.now().toString(36);
    const topicName = (what: string) => `hms.contract.${name}.${what}.${run}.${randomUUID().slice(0, 8)}`;
    const groupName = (what: string) => `contract-${name}-${what}-${randomUUID().slice(0, 8)}`;

    /** A transport for one test; closed at the end of it, so that its consumers stop polling. */
    const open = async (): Promise<EventTransport> => {
      const t = await fx.newTransport();
      opened.push(t);
      return t;
    };

    beforeAll(async () => {
      fx = await factory();
    }, testTimeout);

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((t) => t.close()));
    }, testTimeout);

    afterAll(async () => {
      await fx?.cleanup();
    }, testTimeout);

    it(
      'delivers every published message to a subscribed group, with its topic, partition, offset and envelope',
      async () => {
        const topic = topicName('all');
        const rec = new Recorder();
        const consumer = await open();
        await consumer.subscribe({ group: groupName('all'), topics: [topic], handler: rec.handler('a') });

        const sent = messages(topic, 40, 40);
        await publishInBatches(fx.transport, sent, 10);

        await eventually(() => expect(rec.missing(sent)).toEqual([]), { timeoutMs: waitMs, what: 'every message delivered' });
        await consumer.close();
        expect(rec.successes).toHaveLength(sent.length);
        const byId = new Map(sent.map((m) => [m.envelope.id, m.envelope]));
        for (const { message } of rec.successes) {
          expect(message.topic).toBe(topic);
          expect(Number.isInteger(message.partition) && message.partition >= 0).toBe(true);
          expect(message.offset).toMatch(/^\d+$/);
          expect(message.envelope).toEqual(byId.get(message.envelope.id));
        }
        expect(rec.overlaps).toEqual([]);
      },
      testTimeout,
    );

    it(
      'keeps per-key order for 200 messages over 10 keys published in several batches',
      async () => {
        const topic = topicName('order');
        const rec = new Recorder();
        const consumer = await open();
        await consumer.subscribe({ group: groupName('order'), topics: [topic], handler: rec.handler('a') });

        const sent = messages(topic, 200, 10);
        await publishInBatches(fx.transport, sent, 25);

        await eventually(() => expect(rec.missing(sent)).toEqual([]), { timeoutMs: waitMs, what: 'all 200 messages delivered' });
        await consumer.close();
        expect(rec.successes).toHaveLength(200);
        const got = rec.byKey();
        const want = expectedByKey(sent);
        expect(got.size).toBe(10);
        for (const [key, ids] of want) expect({ key, ids: got.get(key) }).toEqual({ key, ids });
        expect(rec.overlaps).toEqual([]);
      },
      testTimeout,
    );

    it(
      'gives two consumer groups every message each, independently of one another',
      async () => {
        const topic = topicName('groups');
        const slow = new Recorder();
        const fast = new Recorder();
        const gate = deferred();
        const consumer = await open();
        // The first group is held up on its first message until the second has everything.
        await consumer.subscribe({ group: groupName('slow'), topics: [topic], handler: slow.handler('slow', () => gate.promise) });
        await consumer.subscribe({ group: groupName('fast'), topics: [topic], handler: fast.handler('fast') });

        const sent = messages(topic, 50, 5);
        await publishInBatches(fx.transport, sent, 10);

        try {
          await eventually(() => expect(fast.missing(sent)).toEqual([]), { timeoutMs: waitMs, what: 'the second group to get every message' });
          expect(slow.successes.length).toBeLessThan(sent.length);
        } finally {
          gate.resolve();
        }
        await eventually(() => expect(slow.missing(sent)).toEqual([]), { timeoutMs: waitMs, what: 'the first group to get every message' });
        await consumer.close();
        expect(fast.successes).toHaveLength(sent.length);
        expect(slow.successes).toHaveLength(sent.length);
        expect(fast.orderBreaches(sent)).toEqual([]);
        expect(slow.orderBreaches(sent)).toEqual([]);
      },
      testTimeout,
    );

    it(
      'replays everything from the start to a group that subscribes after the messages were published',
      async () => {
        const topic = topicName('replay');
        const early = new Recorder();
        const first = await open();
        await first.subscribe({ group: groupName('early'), topics: [topic], handler: early.handler('early') });
        const sent = messages(topic, 30, 3);
        await publishInBatches(fx.transport, sent, 10);
        await eventually(() => expect(early.missing(sent)).toEqual([]), { timeoutMs: waitMs, what: 'the early group to consume everything' });
        await first.close();

        // A group that did not exist when the messages were published (a new service, a new read model).
        const late = new Recorder();
        const second = await open();
        await second.subscribe({ group: groupName('late'), topics: [topic], handler: late.handler('late') });
        await eventually(() => expect(late.missing(sent)).toEqual([]), { timeoutMs: waitMs, what: 'the late group to get every message from the start' });
        await second.close();
        expect(late.successes).toHaveLength(sent.length);
        const got = late.byKey();
        for (const [key, ids] of expectedByKey(sent)) expect({ key, ids: got.get(key) }).toEqual({ key, ids });
      },
      testTimeout,
    );

    it(
      'redelivers a message whose handler threw, without losing, reordering or overlapping anything',
      async () => {
        const topic = topicName('throw');
        const rec = new Recorder();
        const sent = messages(topic, 96, 16);
        const poison = sent[5].envelope.id;
        const consumer = await open();
        await consumer.subscribe({
          group: groupName('throw'),
          topics: [topic],
          // Slow enough that other partitions are still busy when the failing one gives up.
          handler: rec.handler('a', async (m, attempt) => {
            await sleep(10);
            if (m.envelope.id === poison && attempt === 1) throw new Error('handler crashed on its first try');
          }),
        });
        await fx.transport.publish(sent);

        await eventually(() => expect(rec.missing(sent)).toEqual([]), { timeoutMs: waitMs, what: 'every message handled, the failed one again' });
        await consumer.close();
        expect(rec.attempts.get(poison)).toBeGreaterThanOrEqual(2);
        expect(rec.orderBreaches(sent)).toEqual([]);
        expect(rec.overlaps).toEqual([]);
      },
      testTimeout,
    );

    it(
      'redelivers to a new member what a closed one had not finished: no message is lost',
      async () => {
        const topic = topicName('crash');
        const group = groupName('crash');
        const rec = new Recorder();
        const sent = messages(topic, 120, 12);
        const reached = deferred();
        const gate = deferred();
        let handledByFirst = 0;
        const first = await open();
        await first.subscribe({
          group,
          topics: [topic],
          handler: rec.handler('first', async () => {
            handledByFirst++;
            if (handledByFirst === 40) reached.resolve();
            if (handledByFirst > 40) await gate.promise; // in flight while the member goes away
          }),
        });
        await publishInBatches(fx.transport, sent, 30);

        await reached.promise;
        const closing = first.close();
        gate.resolve();
        await closing;
        const byFirst = rec.successes.length;
        expect(byFirst).toBeLessThan(sent.length);

        const second = await open();
        await second.subscribe({ group, topics: [topic], handler: rec.handler('second') });
        await eventually(() => expect(rec.missing(sent)).toEqual([]), { timeoutMs: waitMs, what: 'the new member to finish the stream' });
        await second.close();
        expect(rec.successes.filter((s) => s.member === 'second').length).toBeGreaterThan(0);
        expect(rec.orderBreaches(sent)).toEqual([]);
        expect(rec.overlaps).toEqual([]);
      },
      testTimeout,
    );

    it(
      'shares a group between two members: each message is handled by exactly one of them, in per-key order',
      async () => {
        const topic = topicName('members');
        const group = groupName('members');
        const rec = new Recorder();
        const one = await open();
        const two = await open();
        await one.subscribe({ group, topics: [topic], handler: rec.handler('one') });
        await two.subscribe({ group, topics: [topic], handler: rec.handler('two') });

        // Keep publishing until the group has settled and both members have work. A failed publish
        // fails the test (it is not retried: nothing may be lost on the way in either).
        const sent: OutgoingMessage[] = [];
        const bothBusy = () => new Set(rec.successes.map((s) => s.member)).size === 2;
        const deadline = Date.now() + waitMs;
        while (!bothBusy()) {
          if (Date.now() > deadline) throw new Error(`only ${[...new Set(rec.successes.map((s) => s.member))].join(', ') || 'no member'} received messages within ${waitMs} ms`);
          const batch = Array.from({ length: 10 }, (_, i) => outgoing(topic, `m${(sent.length + i) % 20}`, sent.length + i));
          await fx.transport.publish(batch);
          sent.push(...batch);
          await sleep(100);
        }
        const tail = Array.from({ length: 100 }, (_, i) => outgoing(topic, `m${(i * 7) % 20}`, sent.length + i));
        sent.push(...tail);
        await publishInBatches(fx.transport, tail, 20);

        await eventually(() => expect(rec.missing(sent)).toEqual([]), { timeoutMs: waitMs, what: 'every message handled by the group' });
        await Promise.all([one.close(), two.close()]);

        const handledBy = new Map<string, string[]>();
        for (const s of rec.successes) handledBy.set(s.message.envelope.id, [...(handledBy.get(s.message.envelope.id) ?? []), s.member]);
        const notExactlyOnce = [...handledBy.entries()].filter(([, members]) => members.length !== 1);
        expect(notExactlyOnce).toEqual([]);
        expect(rec.successes).toHaveLength(sent.length);
        const got = rec.byKey();
        for (const [key, ids] of expectedByKey(sent)) expect({ key, ids: got.get(key) }).toEqual({ key, ids });
        expect(rec.overlaps).toEqual([]);
      },
      testTimeout,
    );
  });
}
