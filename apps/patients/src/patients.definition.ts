import { Module } from '@nestjs/common';
import { systemClock } from '@hms/platform-persistence';
import type { ServiceDefinition } from '@hms/platform-service';
import { patientsMigrations } from './migrations';
import { PatientsController } from './patients/patients.controller';
import { CLOCK, PatientsService } from './patients/patients.service';

@Module({ controllers: [PatientsController], providers: [PatientsService, { provide: CLOCK, useValue: systemClock }] })
class PatientsModule {}

export const patientsDefinition: ServiceDefinition = {
  name: 'patients',
  title: 'HMS patients service',
  defaultPort: 3001,
  migrations: patientsMigrations,
  imports: [PatientsModule],
};
