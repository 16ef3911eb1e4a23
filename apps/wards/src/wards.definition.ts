import { Module } from '@nestjs/common';
import { IDENTITY_TOPIC } from '@hms/contracts-gateway';
import { PATIENT_TOPIC } from '@hms/contracts-patients';
import { ADMISSION_TOPIC } from '@hms/contracts-wards';
import type { ServiceDefinition } from '@hms/platform-service';
import { CLOCK, systemClock } from '@hms/platform-time';
import { AdmissionsService } from './admissions/admissions.service';
import { BedsService } from './beds/beds.service';
import { BoardService } from './board/board.service';
import { AdmissionsController, BedsController, MastersController } from './controllers';
import { InteropModule } from './interop/interop.module';
import { MastersService } from './masters/masters.service';
import { wardsMigrations } from './migrations';
import { PatientsReadModel } from './patients/patients-read-model';

@Module({
  controllers: [MastersController, BedsController, AdmissionsController],
  providers: [MastersService, BedsService, AdmissionsService, BoardService, PatientsReadModel, { provide: CLOCK, useValue: systemClock }],
})
class WardsModule {}

export const wardsDefinition: ServiceDefinition = {
  name: 'wards',
  title: 'HMS wards service',
  defaultPort: 3003,
  migrations: wardsMigrations,
  imports: [WardsModule, InteropModule],
  // Its own admission topic feeds the HL7 ADT feed; the gateway's identity topic names the branches.
  consumes: [PATIENT_TOPIC, ADMISSION_TOPIC, IDENTITY_TOPIC],
};
