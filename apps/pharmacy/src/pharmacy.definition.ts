import { Module } from '@nestjs/common';
import { PATIENT_TOPIC } from '@hms/contracts-patients';
import { ADMISSION_TOPIC } from '@hms/contracts-wards';
import type { ServiceDefinition } from '@hms/platform-service';
import { CLOCK, systemClock, type Clock } from '@hms/platform-time';
import { AdjustmentsService } from './adjustments/adjustments.service';
import { CatalogueController, DispensingController, StockController } from './controllers';
import { DispensingService } from './dispensing/dispensing.service';
import { CatalogueService } from './items/catalogue.service';
import { pharmacyMigrations } from './migrations';
import { AdmissionsReadModel } from './read-models/admissions.read-model';
import { PatientsReadModel } from './read-models/patients.read-model';
import { StockReportsService } from './reports/stock-reports.service';
import { ReturnsService } from './returns/returns.service';
import { AdjustmentsController, ReturnsController, StockReportsController, TransfersController } from './stock-operations.controllers';
import { ReceiptsService } from './stock/receipts.service';
import { StockQueryService } from './stock/stock-query.service';
import { TransfersService } from './transfers/transfers.service';

@Module({
  controllers: [CatalogueController, StockController, DispensingController, TransfersController, AdjustmentsController, ReturnsController, StockReportsController],
  providers: [
    CatalogueService,
    ReceiptsService,
    DispensingService,
    StockQueryService,
    TransfersService,
    AdjustmentsService,
    ReturnsService,
    StockReportsService,
    PatientsReadModel,
    AdmissionsReadModel,
    // The service's own clock (tests of one running service set its time without touching others).
    { provide: CLOCK, useFactory: (): Clock => ({ now: () => systemClock.now() }) },
  ],
  exports: [CLOCK],
})
export class PharmacyModule {}

export const pharmacyDefinition: ServiceDefinition = {
  name: 'pharmacy',
  title: 'HMS pharmacy and inventory service',
  defaultPort: 3004,
  migrations: pharmacyMigrations,
  imports: [PharmacyModule],
  // Patients and admissions, kept as read models: a supply is charged to ones the pharmacy knows.
  consumes: [PATIENT_TOPIC, ADMISSION_TOPIC],
};
