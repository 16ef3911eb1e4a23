import { Module } from '@nestjs/common';
import type { ServiceDefinition } from '@hms/platform-service';
import { auditMigrations } from './migrations';
import { AuditController } from './trail/audit.controller';
import { AuditTrailService } from './trail/audit-trail.service';

@Module({ controllers: [AuditController], providers: [AuditTrailService] })
class AuditModule {}

export const auditDefinition: ServiceDefinition = {
  name: 'audit',
  title: 'HMS audit service',
  defaultPort: 3002,
  migrations: auditMigrations,
  imports: [AuditModule],
  // Its own consumer group over every topic of every service.
  consumes: '*',
};
