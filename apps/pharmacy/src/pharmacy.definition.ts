import { Module } from '@nestjs/common';
import { PATIENT_TOPIC } from '@hms/contracts-patients';
import { ADMISSION_TOPIC } from '@hms/contracts-wards';
import type { ServiceDefinition } from '@hms/platform-service';
import { AdjustStockUseCase } from './adjustments/adjust-stock.use-case';
import { StockCorrections } from './adjustments/stock-corrections';
import { TakeStockUseCase } from './adjustments/take-stock.use-case';
import { WriteOffExpiredUseCase } from './adjustments/write-off-expired.use-case';
import { AddGstRateUseCase } from './catalogue/add-gst-rate.use-case';
import { CreateItemUseCase } from './catalogue/create-item.use-case';
import { CreateStoreUseCase } from './catalogue/create-store.use-case';
import { CreateSupplierUseCase } from './catalogue/create-supplier.use-case';
import { GetItemUseCase } from './catalogue/get-item.use-case';
import { GetStoreUseCase } from './catalogue/get-store.use-case';
import { GetSupplierUseCase } from './catalogue/get-supplier.use-case';
import { ListItemsUseCase } from './catalogue/list-items.use-case';
import { ListStoresUseCase } from './catalogue/list-stores.use-case';
import { ListSuppliersUseCase } from './catalogue/list-suppliers.use-case';
import { SetReorderLevelUseCase } from './catalogue/set-reorder-level.use-case';
import { UpdateItemUseCase } from './catalogue/update-item.use-case';
import { UpdateStoreUseCase } from './catalogue/update-store.use-case';
import { UpdateSupplierUseCase } from './catalogue/update-supplier.use-case';
import { AdmissionsRepository } from './data/admissions.repository';
import { DispensesRepository } from './data/dispenses.repository';
import { pharmacyEntities } from './data/entities';
import { GoodsReceiptsRepository } from './data/goods-receipts.repository';
import { ItemsRepository } from './data/items.repository';
import { PatientsRepository } from './data/patients.repository';
import { StockAdjustmentsRepository } from './data/stock-adjustments.repository';
import { StockReportsRepository } from './data/stock-reports.repository';
import { StockReturnsRepository } from './data/stock-returns.repository';
import { StockRepository } from './data/stock.repository';
import { StoresRepository } from './data/stores.repository';
import { SuppliersRepository } from './data/suppliers.repository';
import { TransfersRepository } from './data/transfers.repository';
import { DispenseUseCase } from './dispensing/dispense.use-case';
import { ExportH1RegisterUseCase } from './dispensing/export-h1-register.use-case';
import { GetDispenseUseCase } from './dispensing/get-dispense.use-case';
import { ListDispensesUseCase } from './dispensing/list-dispenses.use-case';
import { ReadH1RegisterUseCase } from './dispensing/read-h1-register.use-case';
import { AdmissionsHandler } from './events/admissions.handler';
import { CarePartiesReadModel } from './events/care-parties.read-model';
import { PatientsHandler } from './events/patients.handler';
import { AdjustmentsController } from './http/adjustments.controller';
import { CatalogueController } from './http/catalogue.controller';
import { DispensingController } from './http/dispensing.controller';
import { H1RegisterController } from './http/h1-register.controller';
import { ReceiptsController } from './http/receipts.controller';
import { ReportsController } from './http/reports.controller';
import { ReturnsController } from './http/returns.controller';
import { StockController } from './http/stock.controller';
import { TransfersController } from './http/transfers.controller';
import { pharmacyMigrations } from './migrations';
import { ListGoodsReceiptsUseCase } from './receipts/list-goods-receipts.use-case';
import { ReceiveGoodsUseCase } from './receipts/receive-goods.use-case';
import { BelowReorderReportUseCase } from './reports/below-reorder-report.use-case';
import { ExpiredStockReportUseCase } from './reports/expired-stock-report.use-case';
import { InTransitReportUseCase } from './reports/in-transit-report.use-case';
import { NearExpiryReportUseCase } from './reports/near-expiry-report.use-case';
import { StockMovementsReportUseCase } from './reports/stock-movements-report.use-case';
import { StockValuationUseCase } from './reports/stock-valuation.use-case';
import { RecordPatientReturnUseCase } from './returns/record-patient-return.use-case';
import { ReturnToSupplierUseCase } from './returns/return-to-supplier.use-case';
import { StockReturnRecords } from './returns/stock-return-records';
import { ListStockOnHandUseCase } from './stock/list-stock-on-hand.use-case';
import { ReorderAlerts } from './stock/reorder-alerts';
import { StockLookups } from './stock/stock-lookups';
import { GetTransferUseCase } from './transfers/get-transfer.use-case';
import { IssueTransferUseCase } from './transfers/issue-transfer.use-case';
import { ListTransfersUseCase } from './transfers/list-transfers.use-case';
import { ReceiveTransferUseCase } from './transfers/receive-transfer.use-case';

const repositories = [
  ItemsRepository,
  StoresRepository,
  SuppliersRepository,
  StockRepository,
  GoodsReceiptsRepository,
  DispensesRepository,
  TransfersRepository,
  StockAdjustmentsRepository,
  StockReturnsRepository,
  StockReportsRepository,
  PatientsRepository,
  AdmissionsRepository,
];

const useCases = [
  // catalogue
  CreateItemUseCase,
  ListItemsUseCase,
  GetItemUseCase,
  UpdateItemUseCase,
  AddGstRateUseCase,
  CreateStoreUseCase,
  ListStoresUseCase,
  GetStoreUseCase,
  UpdateStoreUseCase,
  SetReorderLevelUseCase,
  CreateSupplierUseCase,
  ListSuppliersUseCase,
  GetSupplierUseCase,
  UpdateSupplierUseCase,
  // receipts and stock
  ReceiveGoodsUseCase,
  ListGoodsReceiptsUseCase,
  ListStockOnHandUseCase,
  // dispensing and the H1 register
  DispenseUseCase,
  ListDispensesUseCase,
  GetDispenseUseCase,
  ReadH1RegisterUseCase,
  ExportH1RegisterUseCase,
  // transfers
  IssueTransferUseCase,
  ReceiveTransferUseCase,
  ListTransfersUseCase,
  GetTransferUseCase,
  // adjustments and stock takes
  AdjustStockUseCase,
  WriteOffExpiredUseCase,
  TakeStockUseCase,
  // returns
  RecordPatientReturnUseCase,
  ReturnToSupplierUseCase,
  // reports
  BelowReorderReportUseCase,
  NearExpiryReportUseCase,
  ExpiredStockReportUseCase,
  StockValuationUseCase,
  StockMovementsReportUseCase,
  InTransitReportUseCase,
];

@Module({
  controllers: [
    CatalogueController,
    ReceiptsController,
    StockController,
    DispensingController,
    H1RegisterController,
    TransfersController,
    AdjustmentsController,
    ReturnsController,
    ReportsController,
    // Event handlers (@EventPattern) keeping read models from the patients and wards services' events.
    PatientsHandler,
    AdmissionsHandler,
  ],
  providers: [
    ...repositories,
    ...useCases,
    // What several stock operations share, inside their transactions.
    StockLookups,
    ReorderAlerts,
    StockCorrections,
    StockReturnRecords,
    // What dispensing reads of those read models.
    CarePartiesReadModel,
  ],
})
export class PharmacyModule {}

export const pharmacyDefinition: ServiceDefinition = {
  name: 'pharmacy',
  title: 'HMS pharmacy and inventory service',
  defaultPort: 3004,
  migrations: pharmacyMigrations,
  entities: pharmacyEntities,
  imports: [PharmacyModule],
  // Patients and admissions, kept as read models: a supply is charged to ones the pharmacy knows.
  consumes: [PATIENT_TOPIC, ADMISSION_TOPIC],
};
