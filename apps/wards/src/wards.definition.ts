import { Module } from '@nestjs/common';
import { IDENTITY_TOPIC } from '@hms/contracts-gateway';
import { PATIENT_TOPIC } from '@hms/contracts-patients';
import { ADMISSION_TOPIC } from '@hms/contracts-wards';
import type { ServiceDefinition } from '@hms/platform-service';
import { AdmitPatientUseCase } from './admissions/admit-patient.use-case';
import { BedOccupancy } from './admissions/bed-occupancy';
import { DischargePatientUseCase } from './admissions/discharge-patient.use-case';
import { GetAdmissionUseCase } from './admissions/get-admission.use-case';
import { ListAdmissionsUseCase } from './admissions/list-admissions.use-case';
import { TransferPatientUseCase } from './admissions/transfer-patient.use-case';
import { BedStateRecorder } from './beds/bed-state-recorder';
import { ChangeBedStateUseCase } from './beds/change-bed-state.use-case';
import { GetBedUseCase } from './beds/get-bed.use-case';
import { ListBedHistoryUseCase } from './beds/list-bed-history.use-case';
import { BedBoardUseCase } from './board/bed-board.use-case';
import { CensusUseCase } from './board/census.use-case';
import { OccupancyUseCase } from './board/occupancy.use-case';
import { AdmissionsRepository } from './data/admissions.repository';
import { BedBoardRepository } from './data/bed-board.repository';
import { BedCategoriesRepository } from './data/bed-categories.repository';
import { BedsRepository } from './data/beds.repository';
import { BranchesRepository } from './data/branches.repository';
import { Hl7FeedRepository } from './data/hl7-feed.repository';
import { PatientsRepository } from './data/patients.repository';
import { WardsRepository } from './data/wards.repository';
import { wardsEntities } from './data/entities';
import { AdtFeedHandler } from './events/adt-feed.handler';
import { BranchEventsHandler } from './events/branch-events.handler';
import { PatientEventsHandler } from './events/patient-events.handler';
import { GetBedLocationUseCase } from './fhir/get-bed-location.use-case';
import { GetEncounterUseCase } from './fhir/get-encounter.use-case';
import { GetWardLocationUseCase } from './fhir/get-ward-location.use-case';
import { AcknowledgeHl7MessagesUseCase } from './hl7-feed/acknowledge-hl7-messages.use-case';
import { CreateHl7SubscriptionUseCase } from './hl7-feed/create-hl7-subscription.use-case';
import { GetHl7SubscriptionUseCase } from './hl7-feed/get-hl7-subscription.use-case';
import { ListAdmissionHl7MessagesUseCase } from './hl7-feed/list-admission-hl7-messages.use-case';
import { ListHl7SubscriptionsUseCase } from './hl7-feed/list-hl7-subscriptions.use-case';
import { ReadHl7MessagesUseCase } from './hl7-feed/read-hl7-messages.use-case';
import { AdmissionsController } from './http/admissions.controller';
import { BedsController } from './http/beds.controller';
import { BoardController } from './http/board.controller';
import { FhirController, Hl7FeedController } from './http/interop.controller';
import { MastersController } from './http/masters.controller';
import { AddTariffUseCase } from './masters/add-tariff.use-case';
import { CreateBedUseCase } from './masters/create-bed.use-case';
import { CreateCategoryUseCase } from './masters/create-category.use-case';
import { CreateDefaultCategoriesUseCase } from './masters/create-default-categories.use-case';
import { CreateRoomUseCase } from './masters/create-room.use-case';
import { CreateWardUseCase } from './masters/create-ward.use-case';
import { GetRoomUseCase } from './masters/get-room.use-case';
import { GetWardUseCase } from './masters/get-ward.use-case';
import { ListCategoriesUseCase } from './masters/list-categories.use-case';
import { ListRoomsUseCase } from './masters/list-rooms.use-case';
import { ListWardsUseCase } from './masters/list-wards.use-case';
import { RetireBedUseCase } from './masters/retire-bed.use-case';
import { RetireCategoryUseCase } from './masters/retire-category.use-case';
import { RetireRoomUseCase } from './masters/retire-room.use-case';
import { RetireWardUseCase } from './masters/retire-ward.use-case';
import { UpdateWardUseCase } from './masters/update-ward.use-case';
import { wardsMigrations } from './migrations';

const repositories = [
  AdmissionsRepository,
  BedBoardRepository,
  BedCategoriesRepository,
  BedsRepository,
  BranchesRepository,
  Hl7FeedRepository,
  PatientsRepository,
  WardsRepository,
];

const useCases = [
  // masters
  ListCategoriesUseCase,
  CreateCategoryUseCase,
  CreateDefaultCategoriesUseCase,
  AddTariffUseCase,
  RetireCategoryUseCase,
  ListWardsUseCase,
  GetWardUseCase,
  CreateWardUseCase,
  UpdateWardUseCase,
  RetireWardUseCase,
  ListRoomsUseCase,
  GetRoomUseCase,
  CreateRoomUseCase,
  RetireRoomUseCase,
  CreateBedUseCase,
  RetireBedUseCase,
  // beds and the board
  GetBedUseCase,
  ChangeBedStateUseCase,
  ListBedHistoryUseCase,
  BedBoardUseCase,
  CensusUseCase,
  OccupancyUseCase,
  // admissions
  AdmitPatientUseCase,
  TransferPatientUseCase,
  DischargePatientUseCase,
  GetAdmissionUseCase,
  ListAdmissionsUseCase,
  // interoperability: the HL7 v2 ADT feed and FHIR R4 views
  CreateHl7SubscriptionUseCase,
  ListHl7SubscriptionsUseCase,
  GetHl7SubscriptionUseCase,
  ReadHl7MessagesUseCase,
  AcknowledgeHl7MessagesUseCase,
  ListAdmissionHl7MessagesUseCase,
  GetEncounterUseCase,
  GetBedLocationUseCase,
  GetWardLocationUseCase,
];

/** Shared steps of several use cases: a bed's change of state, and taking and leaving a bed. */
const collaborators = [BedStateRecorder, BedOccupancy];

/** Event handlers (controllers with @EventPattern): projections of patients and branches, and the HL7 ADT feed. */
const handlers = [PatientEventsHandler, BranchEventsHandler, AdtFeedHandler];

@Module({
  controllers: [MastersController, BedsController, BoardController, AdmissionsController, Hl7FeedController, FhirController, ...handlers],
  providers: [...repositories, ...useCases, ...collaborators],
})
class WardsModule {}

export const wardsDefinition: ServiceDefinition = {
  name: 'wards',
  title: 'HMS wards service',
  defaultPort: 3003,
  migrations: wardsMigrations,
  entities: wardsEntities,
  imports: [WardsModule],
  // Its own admission topic feeds the HL7 ADT feed; the gateway's identity topic names the branches.
  consumes: [PATIENT_TOPIC, ADMISSION_TOPIC, IDENTITY_TOPIC],
};
