import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceDefinition } from '@hms/platform-service';
import { CLOCK, type Clock } from '@hms/platform-time';
import { patientsMigrations } from './migrations';
import { PatientEntity } from './data/patient.entity';
import { PatientsRepository } from './data/patients.repository';
import { UhidSeriesEntity } from './data/uhid-series.entity';
import { UhidSeriesRepository } from './data/uhid-series.repository';
import { RecordDeathUseCase } from './death/record-death.use-case';
import { WithdrawDeathUseCase } from './death/withdraw-death.use-case';
import { PatientsController } from './http/patients.controller';
import { MergePatientsUseCase } from './merge/merge-patients.use-case';
import { FindPatientByUhidUseCase } from './records/find-patient-by-uhid.use-case';
import { GetPatientUseCase } from './records/get-patient.use-case';
import { UpdatePatientUseCase } from './records/update-patient.use-case';
import { RegisterPatientUseCase } from './registration/register-patient.use-case';
import { SearchPatientsUseCase } from './search/search-patients.use-case';
import { GetUhidSettingsUseCase } from './uhid/get-uhid-settings.use-case';
import { SetUhidPrefixUseCase } from './uhid/set-uhid-prefix.use-case';

@Module({
  controllers: [PatientsController],
  providers: [
    RegisterPatientUseCase,
    SearchPatientsUseCase,
    GetPatientUseCase,
    FindPatientByUhidUseCase,
    UpdatePatientUseCase,
    RecordDeathUseCase,
    WithdrawDeathUseCase,
    MergePatientsUseCase,
    GetUhidSettingsUseCase,
    SetUhidPrefixUseCase,
    PatientsRepository,
    UhidSeriesRepository,
  ],
})
class PatientsModule {
  /** The module on its own clock; without one it injects the platform's CLOCK (and, always, the platform's ID_GENERATOR). */
  static withClock(clock: Clock | undefined): DynamicModule {
    return { module: PatientsModule, providers: clock ? [{ provide: CLOCK, useValue: clock }] : [] };
  }
}

/** The patients service; tests may pass their own clock (ages and dates are judged on India's date). */
export function definePatientsService(options: { clock?: Clock } = {}): ServiceDefinition {
  return {
    name: 'patients',
    title: 'HMS patients service',
    defaultPort: 3001,
    migrations: patientsMigrations,
    entities: [PatientEntity, UhidSeriesEntity],
    imports: [PatientsModule.withClock(options.clock)],
  };
}

export const patientsDefinition: ServiceDefinition = definePatientsService();
