import { Controller, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { QueryRunner } from 'typeorm';
import { defineEvent, type EventEnvelope } from '@hms/contracts-common';
import { SYSTEM_ACTOR } from '@hms/platform-messaging';
import { ANY_EVENT, EventContext, runService, type ServiceDefinition } from '@hms/platform-service';
import { createTestDatabase, eventually } from '@hms/platform-testing';
import { startServiceForTest, type ServiceHarness } from '../src';

// A service's consumers are @EventPattern handlers on the platform's event bus (a NestJS custom
// transport strategy): each gets the envelope and the inbox transaction, redelivery is applied
// once, and two handlers for one event type stop the service from starting.

const Ticked = defineEvent<{ n: number }>('probe.clock.ticked', 'probe');
const Tocked = defineEvent<{ n: number }>('probe.clock.tocked', 'probe');

class Seen1767225700000 {
  readonly name = 'Seen1767225700000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE seen (event_id uuid PRIMARY KEY, handler text NOT NULL, n int NOT NULL)');
  }
  async down(): Promise<void> {
    throw new Error('forward only');
  }
}

@Controller()
class TickHandler {
  @EventPattern<string>(Ticked.type)
  async ticked(@Payload() envelope: EventEnvelope<{ n: number }>, @Ctx() context: EventContext): Promise<void> {
    await context.tx.query(`INSERT INTO seen (event_id, handler, n) VALUES ($1, 'ticked', $2)`, [envelope.id, envelope.data.n]);
  }

  @EventPattern<string>(ANY_EVENT)
  async anything(@Payload() envelope: EventEnvelope<{ n: number }>, @Ctx() context: EventContext): Promise<void> {
    await context.tx.query(`INSERT INTO seen (event_id, handler, n) VALUES ($1, 'any', $2)`, [envelope.id, envelope.data.n]);
  }
}

@Controller()
class AnotherTickHandler {
  @EventPattern<string>(Ticked.type)
  async ticked(): Promise<void> {
    /* never reached: the service does not start */
  }
}

const definition = (handlers: (new () => object)[]): ServiceDefinition => {
  @Module({ controllers: handlers })
  class ProbeModule {}
  return { name: 'probe', title: 'probe', defaultPort: 0, migrations: [Seen1767225700000], imports: [ProbeModule], consumes: ['probe'] };
};

describe('@EventPattern handlers on the event bus', () => {
  let probe: ServiceHarness;
  beforeAll(async () => {
    probe = await startServiceForTest(definition([TickHandler]), __filename);
  });
  afterAll(() => probe?.stop());

  it('hands each event to the handler of its type, and the rest to the ANY_EVENT handler, in the inbox transaction', async () => {
    const { db, outbox } = probe.service.context;
    const meta = (key: string) => ({ key, branchId: null, actor: SYSTEM_ACTOR('probe') });
    const [tick, tock] = await db.transaction('all', async (tx) => [await outbox.append(tx, Ticked, { n: 1 }, meta('a')), await outbox.append(tx, Tocked, { n: 2 }, meta('a'))]);
    await eventually(async () => {
      const rows = await probe.db.admin<{ event_id: string; handler: string; n: number }>('SELECT event_id, handler, n FROM probe.seen ORDER BY n');
      expect(rows).toEqual([
        { event_id: tick.id, handler: 'ticked', n: 1 },
        { event_id: tock.id, handler: 'any', n: 2 },
      ]);
    });
  });

  it('applies a redelivered event once: the handler’s writes commit with the inbox record', async () => {
    const { consumer } = probe.service.context;
    const [row] = await probe.db.admin<{ envelope: EventEnvelope }>(`SELECT envelope FROM probe.outbox ORDER BY seq LIMIT 1`);
    await consumer.deliver({ topic: 'probe', partition: 0, offset: '0', envelope: row.envelope });
    expect((await probe.db.admin<{ c: string }>('SELECT count(*) AS c FROM probe.seen'))[0].c).toBe('2');
  });
});

it('refuses to start a service with two handlers for one event type, naming the type', async () => {
  const db = await createTestDatabase(`${__filename}-duplicate`);
  try {
    await expect(
      runService(definition([TickHandler, AnotherTickHandler]), { port: 0, env: { ...process.env, DATABASE_URL: db.url, AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks', LOG_LEVEL: 'silent' } }),
    ).rejects.toThrow('two handlers are registered for the event probe.clock.ticked');
  } finally {
    await db.drop();
  }
});
