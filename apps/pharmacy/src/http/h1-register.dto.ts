import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@hms/platform-http';
import { NotAfterTo, QueryOneOf, RequiredQueryDate } from './query-fields';

/** The register's period: both ends required, real dates, in order (India, both inclusive). */
export class H1RangeQuery {
  @ApiProperty({ example: '2026-11-01' }) @RequiredQueryDate() @NotAfterTo() from!: string;
  @ApiProperty({ example: '2026-11-30' }) @RequiredQueryDate() to!: string;
}

/** GET h1-register: a page of the register, or (format=csv) the whole period as CSV. */
export class H1RegisterQuery extends PageQuery {
  @ApiProperty({ example: '2026-11-01' }) @RequiredQueryDate() @NotAfterTo() from!: string;
  @ApiProperty({ example: '2026-11-30' }) @RequiredQueryDate() to!: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @QueryOneOf(['json', 'csv']) format?: 'json' | 'csv';
}

// Responses. Names carry the service's name: schema names must be unique across the services the
// gateway's document merges.

export class PharmacyH1Entry {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) dispenseId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The registered patient supplied, if any (a walk-in has none)' }) patientId!: string | null;
  @ApiProperty({ format: 'date-time' }) suppliedAt!: string;
  @ApiProperty({ format: 'date', example: '2026-11-21', description: 'The day in India' }) suppliedOn!: string;
  @ApiProperty({ example: 'Dr. Meera Rao' }) prescriberName!: string;
  @ApiProperty({ example: 'MMC-2011-12345' }) prescriberRegistrationNumber!: string;
  @ApiProperty({ example: '12 MG Road, Pune' }) prescriberAddress!: string;
  @ApiProperty({ example: 'Anita Devi' }) patientName!: string;
  @ApiProperty({ example: 'Taxim-O (Cefixime) 200 mg' }) drugName!: string;
  @ApiProperty({ example: 'CFX-B7' }) batchNo!: string;
  @ApiProperty({ example: 10 }) quantity!: number;
  @ApiProperty({ description: 'The user who supplied' }) pharmacistId!: string;
}
