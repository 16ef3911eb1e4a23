import { ClientKafka, ServerKafka, type KafkaContext, type MessageHandler } from '@nestjs/microservices';
import { Kafka, logLevel } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import type { EventEnvelope } from '@hms/contracts-common';
import type { EventTransport, OutgoingMessage, Subscription } from './transport';

export interface KafkaTransportOptions {
  brokers: string[];
  clientId: string;
  /** Partitions for topics this transport creates; existing topics keep theirs. */
  partitions?: number;
  onError?: (error: unknown, where: string) => void;
}

/** Every topic of the platform, for a subscription to `*` (the audit service). */
const ALL_TOPICS = /^hms\..+/;

/**
 * One consumer group's subscription, on @nestjs/microservices' Kafka server (kafkajs underneath).
 * It hands every message of its topics to the subscription's handler (the platform's
 * EventConsumer: inbox, retries, dead letters), then commits the message's offset, as Nest's
 * documentation shows for `autoCommit: false`: a crash before the commit delivers the message
 * again, and the inbox drops the copy. A handler that throws (the database is unreachable) stops
 * the partition; kafkajs restarts it from the last committed offset.
 *
 * Nest's server subscribes to the patterns of its handlers; the bus subscribes to topics (or to
 * every platform topic for `*`), so this server subscribes to those and routes every message to
 * the one handler.
 */
export class KafkaSubscriptionServer extends ServerKafka {
  private readonly deliver: MessageHandler;

  constructor(
    options: ConstructorParameters<typeof ServerKafka>[0],
    private readonly subscription: Subscription,
  ) {
    super(options);
    this.deliver = Object.assign(
      async (envelope: EventEnvelope, context: KafkaContext) => {
        const { offset } = context.getMessage();
        await subscription.handler({ topic: context.getTopic(), partition: context.getPartition(), offset, envelope });
        await context.getConsumer().commitOffsets([{ topic: context.getTopic(), partition: context.getPartition(), offset: (BigInt(offset) + 1n).toString() }]);
      },
      { isEventHandler: true },
    );
  }

  override async bindEvents(consumer: NonNullable<ServerKafka['consumer']>): Promise<void> {
    const { topics } = this.subscription;
    await consumer.subscribe({ ...(this.options.subscribe ?? {}), topics: topics === '*' ? [ALL_TOPICS] : [...topics] });
    await consumer.run({ ...(this.options.run ?? {}), eachMessage: this.getMessageHandler() });
  }

  override getHandlerByPattern(): MessageHandler {
    return this.deliver;
  }
}

/**
 * The Kafka leg of the event port, on @nestjs/microservices' Kafka transport: ClientKafka
 * publishes, a ServerKafka per consumer group consumes. Topics are keyed by aggregate id, so
 * Kafka's per-partition order gives per-aggregate order. Topics are created ahead (the
 * producer may not create them) with kafkajs's admin client, which Nest does not wrap.
 */
export class KafkaTransport implements EventTransport {
  readonly name = 'kafka' as const;
  private readonly admin: Kafka;
  private client: ClientKafka | null = null;
  private readonly servers: KafkaSubscriptionServer[] = [];
  private readonly knownTopics = new Set<string>();

  constructor(private readonly options: KafkaTransportOptions) {
    this.admin = new Kafka({ clientId: `${options.clientId}-admin`, brokers: options.brokers, logLevel: logLevel.WARN });
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (!messages.length) return;
    const client = await this.getClient();
    await this.ensureTopics([...new Set(messages.map((m) => m.topic))]);
    // Sent in order on one idempotent producer with one request in flight, so messages of one
    // key keep their order; each is awaited until every in-sync replica has it (acks -1).
    await Promise.all(
      messages.map((m) =>
        lastValueFrom(client.emit(m.topic, { key: m.envelope.key, value: m.envelope, headers: { 'event-type': m.envelope.type, 'event-id': m.envelope.id } }), {
          defaultValue: undefined,
        }),
      ),
    );
  }

  async subscribe(subscription: Subscription): Promise<void> {
    if (subscription.topics !== '*') await this.ensureTopics([...subscription.topics]);
    const server = new KafkaSubscriptionServer(
      {
        client: { clientId: `${this.options.clientId}-${subscription.group}`, brokers: this.options.brokers, logLevel: logLevel.WARN },
        consumer: { groupId: subscription.group, allowAutoTopicCreation: false },
        // The consumer group is the service's name, as on the PostgreSQL bus.
        postfixId: '',
        subscribe: { fromBeginning: true },
        run: { autoCommit: false, partitionsConsumedConcurrently: 4 },
      },
      subscription,
    );
    this.servers.push(server);
    await new Promise<void>((resolve, reject) => void server.listen((error) => (error ? reject(error) : resolve())));
  }

  async healthy(): Promise<boolean> {
    const admin = this.admin.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return true;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.close().catch((error: unknown) => this.options.onError?.(error, 'kafka consumer close'))));
    await this.client?.close().catch((error: unknown) => this.options.onError?.(error, 'kafka producer close'));
  }

  private async getClient(): Promise<ClientKafka> {
    if (!this.client) {
      const client = new ClientKafka({
        client: { clientId: this.options.clientId, brokers: this.options.brokers, logLevel: logLevel.WARN },
        producer: { idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false },
        producerOnlyMode: true,
        send: { acks: -1 },
      });
      await client.connect();
      this.client = client;
    }
    return this.client;
  }

  private async ensureTopics(topics: string[]): Promise<void> {
    const missing = topics.filter((t) => !this.knownTopics.has(t));
    if (!missing.length) return;
    const admin = this.admin.admin();
    try {
      await admin.connect();
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: this.options.partitions ?? 8 })),
      });
      for (const t of missing) this.knownTopics.add(t);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
