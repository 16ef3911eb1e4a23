import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { defineEvent, topicName } from '@hms/contracts-common';
import { PatientRegistered } from '@hms/contracts-patients';
import { PostgresTransport, SYSTEM_ACTOR, createEnvelope } from '@hms/platform-messaging';
import { allBranches } from './db';
import { BenchHttp } from './http';
import { Progress } from './progress';
import { authHeaders, type Caller, type RegistrationBodies } from './registration';
import { summarize, type LatencySummary } from './stats';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface CommitToAudit {
  latency: LatencySummary;
  registered: number;
  /** Client-side latency of these one-at-a-time registrations (POST through the gateway). */
  registrationLatency: LatencySummary;
  errors: number;
  errorSamples: string[];
  /** Registrations whose event did not reach the audit trail in time. */
  missing: number;
  waitSeconds: number;
}

/**
 * Registers `count` patients one at a time through the gateway, then, once every registration
 * is in the audit trail, compares each event's outbox row (`patients.outbox.created_at`, the
 * registering transaction's time) with its audit entry (`audit.entries.recorded_at`, the
 * appending transaction's time): the same server clock at both ends.
 */
export async function commitToAudit(
  gatewayUrl: string,
  caller: Caller,
  bodies: RegistrationBodies,
  admin: Pool,
  count: number,
  pauseMs: number,
): Promise<CommitToAudit> {
  const http = new BenchHttp(1);
  const ids: string[] = [];
  const httpMs: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  const progress = new Progress('events', count);
  try {
    for (let i = 0; i < count; i++) {
      const r = await http.request('POST', `${gatewayUrl}/api/v1/patients`, authHeaders(caller), bodies.body());
      if (r.status === 201) {
        ids.push((JSON.parse(r.body) as { id: string }).id);
        httpMs.push(r.ms);
      } else {
        errors++;
        if (errorSamples.length < 3) errorSamples.push(`${r.status} ${r.body.slice(0, 200)}`);
      }
      progress.update(i + 1);
      await pause(pauseMs);
    }
  } finally {
    http.close();
  }

  const sql = `SELECT extract(epoch FROM (a.recorded_at - o.created_at)) * 1000 AS ms
    FROM patients.outbox o JOIN audit.entries a ON a.event_id = o.event_id
    WHERE o.key = ANY($1::text[]) AND o.envelope->>'type' = $2`;
  const waitStarted = Date.now();
  let rows: { ms: string }[] = [];
  for (;;) {
    rows = await allBranches<{ ms: string }>(admin, sql, [ids, PatientRegistered.type]);
    if (rows.length >= ids.length || Date.now() - waitStarted > 60_000) break;
    await pause(200);
  }
  return {
    latency: summarize(rows.map((r) => Number(r.ms))),
    registered: ids.length,
    registrationLatency: summarize(httpMs),
    errors,
    errorSamples,
    missing: ids.length - rows.length,
    waitSeconds: (Date.now() - waitStarted) / 1000,
  };
}

const PING = defineEvent<{ n: number }>('bench.ping', topicName('bench', 'ping'));

export interface BusRoundTrip {
  latency: LatencySummary;
  lost: number;
}

/**
 * The bus alone: a PostgresTransport publishes on the platform's database, a second one (its own
 * pool and LISTEN connection, like another process) subscribed in its own consumer group
 * receives; timed from publish to delivery, one message at a time.
 */
export async function busRoundTrip(databaseUrl: string, count: number, pauseMs: number): Promise<BusRoundTrip> {
  const pubPool = new Pool({ connectionString: databaseUrl, max: 4, application_name: 'hms-bench-publisher' });
  const subPool = new Pool({ connectionString: databaseUrl, max: 4, application_name: 'hms-bench-subscriber' });
  const onError = (error: unknown, where: string) => process.stderr.write(`bus ${where}: ${(error as Error).message}\n`);
  const publisher = new PostgresTransport({ pool: pubPool, connectionString: databaseUrl, onError });
  const subscriber = new PostgresTransport({ pool: subPool, connectionString: databaseUrl, onError });
  const waiting = new Map<string, (at: number) => void>();
  try {
    await subscriber.subscribe({
      group: `bench-roundtrip-${randomUUID().slice(0, 8)}`,
      topics: [PING.topic],
      handler: async (m) => {
        const at = performance.now();
        waiting.get(m.envelope.id)?.(at);
      },
    });
    const once = async (n: number, timeoutMs: number): Promise<number | null> => {
      const envelope = createEnvelope(PING, { n }, { key: randomUUID(), branchId: null, actor: SYSTEM_ACTOR('bench'), source: 'bench' });
      let timer: NodeJS.Timeout | undefined;
      const received = new Promise<number | null>((resolve) => {
        waiting.set(envelope.id, resolve);
        timer = setTimeout(() => resolve(null), timeoutMs);
      });
      const t0 = performance.now();
      await publisher.publish([{ topic: PING.topic, envelope }]);
      const at = await received;
      clearTimeout(timer);
      waiting.delete(envelope.id);
      return at === null ? null : at - t0;
    };
    // Warm-up: the subscriber claims its partitions on the first rounds.
    for (let n = 0; n < 5; n++) await once(-1 - n, 15_000);
    const samples: number[] = [];
    let lost = 0;
    const progress = new Progress('bus round trip', count);
    for (let n = 0; n < count; n++) {
      const ms = await once(n, 10_000);
      if (ms === null) lost++;
      else samples.push(ms);
      progress.update(n + 1);
      await pause(pauseMs);
    }
    return { latency: summarize(samples), lost };
  } finally {
    await subscriber.close().catch(() => undefined);
    await publisher.close().catch(() => undefined);
    await subPool.end().catch(() => undefined);
    await pubPool.end().catch(() => undefined);
  }
}
