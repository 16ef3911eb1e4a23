import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '@hms/platform-time';
import { AdtFeedProjection } from './adt-feed.projection';
import { BranchesReadModel } from './branches-read-model';
import { FhirService } from './fhir.service';
import { Hl7FeedService } from './hl7-feed.service';
import { FhirController, Hl7FeedController } from './interop.controllers';

/** Interoperability: the HL7 v2 ADT feed built from admission events, and FHIR R4 views of admissions, wards and beds. */
@Module({
  controllers: [Hl7FeedController, FhirController],
  providers: [AdtFeedProjection, BranchesReadModel, Hl7FeedService, FhirService, { provide: CLOCK, useValue: systemClock }],
})
export class InteropModule {}
