import type { EachMessagePayload } from 'kafkajs';
import type { DeliveredMessage } from './transport';
import { KafkaSubscriptionServer } from './kafka-transport';

// How a message travels through @nestjs/microservices' Kafka server to the bus: Nest parses the
// record, the subscription's handler gets the envelope with its position, and only then is the
// offset committed. A handler that throws leaves the offset uncommitted (the message comes
// again). The broker leg of the same path runs in the transport contract suite where a broker is
// reachable.

function serverWith(handler: (m: DeliveredMessage) => Promise<void>) {
  const server = new KafkaSubscriptionServer({ client: { clientId: 'probe', brokers: ['127.0.0.1:9'] }, postfixId: '' }, { group: 'probe', topics: ['hms.patients'], handler });
  const commits: unknown[] = [];
  // What Nest's server reads off its kafkajs consumer while handling a message.
  Object.assign(server, { consumer: { commitOffsets: async (offsets: unknown) => void commits.push(offsets) } });
  return { server, commits };
}

const record = (envelope: object, offset = '41'): EachMessagePayload =>
  ({
    topic: 'hms.patients',
    partition: 3,
    message: { key: Buffer.from('p-1'), value: Buffer.from(JSON.stringify(envelope)), offset, headers: { 'event-type': Buffer.from('patients.patient.registered') }, timestamp: '0', attributes: 0 },
    heartbeat: async () => undefined,
    pause: () => () => undefined,
  }) as EachMessagePayload;

describe('KafkaSubscriptionServer', () => {
  const envelope = { id: 'e-1', type: 'patients.patient.registered', key: 'p-1', data: { n: 1 } };

  it('hands the envelope and its position to the subscription, then commits the next offset', async () => {
    const delivered: DeliveredMessage[] = [];
    const { server, commits } = serverWith(async (m) => void delivered.push(m));
    await server.handleMessage(record(envelope));
    expect(delivered).toEqual([{ topic: 'hms.patients', partition: 3, offset: '41', envelope }]);
    expect(commits).toEqual([[{ topic: 'hms.patients', partition: 3, offset: '42' }]]);
  });

  it('commits nothing when the handler fails, so the message is delivered again', async () => {
    const { server, commits } = serverWith(async () => {
      throw new Error('database unavailable');
    });
    await expect(server.handleMessage(record(envelope))).rejects.toThrow('database unavailable');
    expect(commits).toEqual([]);
  });
});
