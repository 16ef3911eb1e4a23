import { Module } from '@nestjs/common';
import type { ServiceDefinition } from '@hms/platform-service';
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
class PatientsModule {}

/** The patients service. Ages and dates are judged on India's date by the service kit's CLOCK (tests hand their own to startServiceForTest). */
export const patientsDefinition: ServiceDefinition = {
  name: 'patients',
  title: 'HMS patients service',
  defaultPort: 3001,
  migrations: patientsMigrations,
  entities: [PatientEntity, UhidSeriesEntity],
  imports: [PatientsModule],
};
