import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { Client, type Pool, type QueryResultRow } from 'pg';
import { IDENTITY_TOPIC } from '@hms/contracts-gateway';
import { PATIENT_TOPIC } from '@hms/contracts-patients';
import { ADMISSION_TOPIC } from '@hms/contracts-wards';
import { withDatabase } from '@hms/platform-testing';

/** Makes `hms_bench_<time>_<random>` on the server; returns its name and URL. */
export async function createBenchDatabase(serverUrl: string): Promise<{ name: string; url: string }> {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const name = `hms_bench_${stamp}_${randomBytes(3).toString('hex')}`;
  const root = new Client({ connectionString: serverUrl, application_name: 'hms-bench' });
  await root.connect();
  try {
    await root.query(`CREATE DATABASE "${name}"`);
  } finally {
    await root.end();
  }
  return { name, url: withDatabase(serverUrl, name) };
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const root = new Client({ connectionString: serverUrl, application_name: 'hms-bench' });
  await root.connect();
  try {
    await root.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await root.end();
  }
}

/** A query across every branch (row-level security would otherwise hide rows from a non-superuser account). */
export async function allBranches<T extends QueryResultRow>(pool: Pool, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL hms.all_branches = 'on'");
    const result = await client.query<T>(sql, params);
    await client.query('COMMIT');
    return result.rows;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The topics the wards service consumes (its definition's `consumes`). */
const WARDS_CONSUMES = [PATIENT_TOPIC, ADMISSION_TOPIC, IDENTITY_TOPIC];

/**
 * Waits until the event pipeline is idle: every outbox published, the audit service's consumer
 * group at the head of every bus partition, and the wards service's at the head of the topics
 * it reads (its patients read model follows every registration). Phases start from a quiet
 * platform, so a backlog from the previous one does not eat into their CPU.
 */
export async function settle(pool: Pool, timeoutMs = 120_000): Promise<{ seconds: number; settled: boolean }> {
  const started = Date.now();
  const schemas = (
    await pool.query<{ table_schema: string }>(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox' ORDER BY 1`)
  ).rows.map((r) => r.table_schema);
  const unpublished = schemas.map((s) => `(SELECT count(*) FROM "${s}".outbox WHERE published_at IS NULL)`).join(' + ') || '0';
  const sql = `SELECT (${unpublished})::bigint AS unpublished,
      (SELECT coalesce(sum(h.next_offset - coalesce(c.next_offset, 0)), 0) FROM hms_bus.partition_heads h
       LEFT JOIN hms_bus.consumer_offsets c ON c.group_id = 'audit' AND c.topic = h.topic AND c.partition = h.partition)::bigint AS lag,
      (SELECT coalesce(sum(h.next_offset - coalesce(c.next_offset, 0)), 0) FROM hms_bus.partition_heads h
       LEFT JOIN hms_bus.consumer_offsets c ON c.group_id = 'wards' AND c.topic = h.topic AND c.partition = h.partition
       WHERE h.topic = ANY($1::text[]))::bigint AS wards_lag`;
  for (;;) {
    const [row] = await allBranches<{ unpublished: string; lag: string; wards_lag: string }>(pool, sql, [WARDS_CONSUMES]);
    if (row.unpublished === '0' && row.lag === '0' && row.wards_lag === '0') return { seconds: (Date.now() - started) / 1000, settled: true };
    if (Date.now() - started > timeoutMs) {
      process.stderr.write(
        `event pipeline still busy after ${timeoutMs / 1000} s (unpublished ${row.unpublished}, audit lag ${row.lag}, wards lag ${row.wards_lag}); going on\n`,
      );
      return { seconds: (Date.now() - started) / 1000, settled: false };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `count` distinct free TCP ports on 127.0.0.1 (held together while choosing, then released). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      ports.push((server.address() as net.AddressInfo).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}
