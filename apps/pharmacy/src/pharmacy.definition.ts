import { Module } from '@nestjs/common';
import { systemClock } from '@hms/platform-persistence';
import type { ServiceDefinition } from '@hms/platform-service';
import { CatalogueController, DispensingController, StockController } from './controllers';
import { DispensingService } from './dispensing/dispensing.service';
import { CatalogueService } from './items/catalogue.service';
import { pharmacyMigrations } from './migrations';
import { CLOCK, ReceiptsService } from './stock/receipts.service';
import { StockQueryService } from './stock/stock-query.service';

@Module({
  controllers: [CatalogueController, StockController, DispensingController],
  providers: [CatalogueService, ReceiptsService, DispensingService, StockQueryService, { provide: CLOCK, useValue: systemClock }],
  exports: [CLOCK],
})
export class PharmacyModule {}

export const pharmacyDefinition: ServiceDefinition = {
  name: 'pharmacy',
  title: 'HMS pharmacy and inventory service',
  defaultPort: 3004,
  migrations: pharmacyMigrations,
  imports: [PharmacyModule],
};
