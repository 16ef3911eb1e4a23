import { Controller, Get, Header, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '@hms/contracts-common';
import { Public, RequirePermissions } from '@hms/platform-auth';
import { pageRequest } from '@hms/platform-http';
import { EventConsumer, type EventTransport } from '@hms/platform-messaging';
import { metricsRegistry } from '@hms/platform-observability';
import { Database } from '@hms/platform-persistence';
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

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4')
  metrics() {
    return metricsRegistry.metrics();
  }
}

/** Admin view of events this service parked after their retries ran out. */
export function deadLetterController(service: string) {
  @ApiTags(`${service}: operations`)
  @Controller(`api/v1/${service}/admin/dead-letters`)
  class DeadLetterController {
    constructor(readonly consumer: EventConsumer) {}

    @Get()
    @RequirePermissions('messaging:manage')
    @ApiOperation({ summary: `Events the ${service} service could not process` })
    async list(@Query('limit') limit?: string, @Query('includeReplayed') includeReplayed?: string) {
      const page = pageRequest(limit, 0);
      return { items: await this.consumer.listDeadLetters(page.limit, includeReplayed === 'true') };
    }

    @Post(':id/replay')
    @HttpCode(200)
    @RequirePermissions('messaging:manage')
    @ApiOperation({ summary: 'Run a parked event through its handler again' })
    async replay(@Param('id') id: string) {
      if (!/^\d{1,18}$/.test(id)) throw new DomainError('validation', 'validation-failed', 'id must be a dead-letter number');
      const outcome = await this.consumer.replay(id);
      if (outcome === 'not-found') throw new DomainError('not-found', 'dead-letter-not-found', 'No such dead letter');
      if (outcome === 'already-replayed') throw new DomainError('conflict', 'dead-letter-replayed', 'This dead letter was replayed already');
      return { id, outcome };
    }
  }
  return DeadLetterController;
}
