import { Module } from '@nestjs/common';
import type { ServiceDefinition } from '@hms/platform-service';
import { auditMigrations } from './migrations';
import { AuditEntryEntity } from './data/audit-entry.entity';
import { AuditTrailRepository } from './data/audit-trail.repository';
import { ChainHeadEntity } from './data/chain-head.entity';
import { AppendToTrailHandler } from './events/append-to-trail.handler';
import { AuditController } from './http/audit.controller';
import { QueryTrailUseCase } from './trail/query-trail.use-case';
import { VerifyChainUseCase } from './trail/verify-chain.use-case';

@Module({
  controllers: [AuditController, AppendToTrailHandler],
  providers: [QueryTrailUseCase, VerifyChainUseCase, AuditTrailRepository],
})
class AuditModule {}

export const auditDefinition: ServiceDefinition = {
  name: 'audit',
  title: 'HMS audit service',
  defaultPort: 3002,
  migrations: auditMigrations,
  entities: [AuditEntryEntity, ChainHeadEntity],
  imports: [AuditModule],
  // Its own consumer group over every topic of every service.
  consumes: '*',
};
