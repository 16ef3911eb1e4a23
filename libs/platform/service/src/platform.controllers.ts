import { Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiBearerAuth, ApiExcludeController, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '@hms/contracts-common';
import { CurrentCaller, Public, RequirePermissions, type Caller } from '@hms/platform-auth';
import { ApiProblems, PageOf, toPage } from '@hms/platform-http';
import { EventConsumer, type EventTransport } from '@hms/platform-messaging';
import { metricsRegistry } from '@hms/platform-observability';
import { Database } from '@hms/platform-persistence';
import { DeadLetter, DeadLetterQuery, DeadLetterReplay } from './dead-letters.dto';
import { READINESS, TRANSPORT } from './tokens';

@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: Database,
    @Inject(TRANSPORT) private readonly transport: EventTransport,
    @Inject(READINESS) private readonly extra: () => Promise<Record<string, boolean>>,
  ) {}

  @Public()
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Public()
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const [database, transport, extra] = await Promise.all([
      this.db.ping().then(
        () => true,
        () => false,
      ),
      this.transport.healthy(),
      this.extra().catch(() => ({ checks: false })),
    ]);
    const results: Record<string, boolean> = { database, transport, ...extra };
    const ok = Object.values(results).every(Boolean);
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v ? 'up' : 'down'])) };
  }
}

/**
 * Serves Prometheus metrics on a listener of their own (`METRICS_PORT`), so that /metrics is never
 * reachable where the API is: only the monitoring network reaches that port.
 */
export async function startMetricsServer(port: number, host: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    metricsRegistry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(body),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Admin view of events this service parked after their retries ran out. */
export function deadLetterController(service: string) {
  @ApiTags(`${service}: operations`)
  @ApiBearerAuth()
  @Controller(`api/v1/${service}/admin/dead-letters`)
  class DeadLetterController {
    constructor(readonly consumer: EventConsumer) {}

    @Get()
    @RequirePermissions('messaging:manage')
    @ApiOperation({ summary: `Events the ${service} service could not process: your branch's, or every branch's with platform:manage` })
    @ApiOkResponse({ type: PageOf(DeadLetter) })
    @ApiProblems({ 400: 'A paging parameter or includeReplayed is invalid, a parameter the list does not take was sent, or X-Branch-Id is missing (several branches, no home branch) or not a UUID' })
    async list(@CurrentCaller() caller: Caller, @Query() query: DeadLetterQuery) {
      const rows = await this.consumer.listDeadLetters(query.limit + 1, query.includeReplayed ?? false, deadLetterScope(caller), query.offset);
      return toPage(rows, query);
    }

    @Post(':id/replay')
    @HttpCode(200)
    @RequirePermissions('messaging:manage')
    @ApiOperation({ summary: 'Run a parked event through its handler again (one of your branch, or any with platform:manage)' })
    @ApiOkResponse({ type: DeadLetterReplay })
    @ApiProblems({
      400: 'The id is not a dead-letter number, or X-Branch-Id is missing (several branches, no home branch) or not a UUID',
      404: 'No such dead letter (in your branch)',
      409: 'This dead letter was replayed already',
    })
    async replay(@CurrentCaller() caller: Caller, @Param('id') id: string) {
      if (!/^\d{1,18}$/.test(id)) throw new DomainError('validation', 'validation-failed', 'id must be a dead-letter number');
      const outcome = await this.consumer.replay(id, deadLetterScope(caller));
      if (outcome === 'not-found') throw new DomainError('not-found', 'dead-letter-not-found', 'No such dead letter');
      if (outcome === 'already-replayed') throw new DomainError('conflict', 'dead-letter-replayed', 'This dead letter was replayed already');
      return { id, outcome };
    }
  }
  return DeadLetterController;
}

/** A branch's admin sees the dead letters of events about their branch; only a platform role sees them all. */
function deadLetterScope(caller: Caller): { branchId: string } | 'all' {
  return caller.platformPermissions.has('platform:manage') ? 'all' : { branchId: caller.branchId };
}
