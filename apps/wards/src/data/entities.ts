import { AdmissionEntity } from './admissions.entity';
import { BedCategoryEntity } from './bed-categories.entity';
import { BedStateHistoryEntity } from './bed-state-history.entity';
import { BedStayEntity } from './bed-stays.entity';
import { BedEntity } from './beds.entity';
import { BranchEntity } from './branches.entity';
import { CategoryTariffEntity } from './category-tariffs.entity';
import { GenderPolicyOverrideEntity } from './gender-policy-overrides.entity';
import { Hl7MessageEntity } from './hl7-messages.entity';
import { Hl7SubscriptionEntity } from './hl7-subscriptions.entity';
import { IpSeriesEntity } from './ip-series.entity';
import { PatientEntity } from './patients.entity';
import { RoomEntity } from './rooms.entity';
import { WardEntity } from './wards.entity';

/** One entity per table of the wards schema. */
export const wardsEntities = [
  BedCategoryEntity,
  CategoryTariffEntity,
  WardEntity,
  RoomEntity,
  BedEntity,
  BedStateHistoryEntity,
  PatientEntity,
  IpSeriesEntity,
  AdmissionEntity,
  BedStayEntity,
  Hl7MessageEntity,
  Hl7SubscriptionEntity,
  BranchEntity,
  GenderPolicyOverrideEntity,
];
