import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import type { EventEnvelope } from '@hms/contracts-common';
import type { EventTransport, OutgoingMessage, Subscription } from './transport';

export interface KafkaTransportOptions {
  brokers: string[];
  clientId: string;
  /** Partitions for topics this transport creates; existing topics keep theirs. */
  partitions?: number;
  onError?: (error: unknown, where: string) => void;
}

/**
 * The Kafka leg of the event port (kafkajs). Topics are keyed by aggregate id, so Kafka's own
 * per-partition order gives per-aggregate order. Offsets are committed only after the handler
 * has finished with a message, so a crash redelivers it and the consumer's inbox drops the copy.
 */
export class KafkaTransport implements EventTransport {
  readonly name = 'kafka' as const;
  private readonly kafka: Kafka;
  private producer: Producer | null = null;
  private readonly consumers: Consumer[] = [];
  private readonly knownTopics = new Set<string>();

  constructor(private readonly options: KafkaTransportOptions) {
    this.kafka = new Kafka({ clientId: options.clientId, brokers: options.brokers, logLevel: logLevel.WARN });
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (!messages.length) return;
    const producer = await this.getProducer();
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) {
      const list = byTopic.get(m.topic) ?? [];
      list.push(m);
      byTopic.set(m.topic, list);
    }
    await this.ensureTopics([...byTopic.keys()]);
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic.entries()].map(([topic, list]) => ({
        topic,
        messages: list.map((m) => ({
          key: m.envelope.key,
          value: JSON.stringify(m.envelope),
          headers: { 'event-type': m.envelope.type, 'event-id': m.envelope.id },
        })),
      })),
    });
  }

  async subscribe(subscription: Subscription): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: subscription.group, allowAutoTopicCreation: false });
    this.consumers.push(consumer);
    await consumer.connect();
    if (subscription.topics === '*') {
      await consumer.subscribe({ topics: [/^hms\..+/], fromBeginning: true });
    } else {
      await this.ensureTopics([...subscription.topics]);
      await consumer.subscribe({ topics: [...subscription.topics], fromBeginning: true });
    }
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 4,
      eachMessage: async ({ topic, partition, message }) => {
        const envelope = JSON.parse(message.value?.toString() ?? 'null') as EventEnvelope;
        await subscription.handler({ topic, partition, offset: message.offset, envelope });
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      },
    });
  }

  async healthy(): Promise<boolean> {
    const admin = this.kafka.admin();
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
    await Promise.all(this.consumers.map((c) => c.disconnect().catch(() => undefined)));
    await this.producer?.disconnect().catch(() => undefined);
  }

  private async getProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  private async ensureTopics(topics: string[]): Promise<void> {
    const missing = topics.filter((t) => !this.knownTopics.has(t));
    if (!missing.length) return;
    const admin = this.kafka.admin();
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
