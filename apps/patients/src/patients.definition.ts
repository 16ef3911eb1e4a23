import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceDefinition } from '@hms/platform-service';
import { CLOCK, systemClock, type Clock } from '@hms/platform-time';
import { patientsMigrations } from './migrations';
import { PatientsController } from './patients/patients.controller';
import { PatientsService } from './patients/patients.service';

@Module({ controllers: [PatientsController], providers: [PatientsService] })
class PatientsModule {
  static withClock(clock: Clock): DynamicModule {
    return { module: PatientsModule, providers: [{ provide: CLOCK, useValue: clock }] };
  }
}

/** The patients service; tests pass their own clock (ages and dates are judged on India's date). */
export function definePatientsService(options: { clock?: Clock } = {}): ServiceDefinition {
  return {
    name: 'patients',
    title: 'HMS patients service',
    defaultPort: 3001,
    migrations: patientsMigrations,
    imports: [PatientsModule.withClock(options.clock ?? systemClock)],
  };
}

export const patientsDefinition: ServiceDefinition = definePatientsService();
