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

export class PharmacyH1Entry {
  @ApiProperty() id!: string;
  @ApiProperty() dispenseId!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The registered patient supplied, if any (a walk-in has none)' }) patientId!: string | null;
  @ApiProperty() suppliedAt!: string;
  @ApiProperty({ example: '2026-11-21', description: 'The day in India' }) suppliedOn!: string;
  @ApiProperty({ example: 'Dr. Meera Rao' }) prescriberName!: string;
  @ApiProperty({ example: 'MMC-2011-12345' }) prescriberRegistrationNumber!: string;
  @ApiProperty({ example: '12 MG Road, Pune' }) prescriberAddress!: string;
  @ApiProperty({ example: 'Anita Devi' }) patientName!: string;
  @ApiProperty({ example: 'Taxim-O (Cefixime) 200 mg' }) drugName!: string;
  @ApiProperty({ example: 'CFX-B7' }) batchNo!: string;
  @ApiProperty({ example: 10 }) quantity!: number;
  @ApiProperty() pharmacistId!: string;
}

export class PharmacyH1Page {
  @ApiProperty({ type: [PharmacyH1Entry] }) items!: PharmacyH1Entry[];
  @ApiProperty({ example: 20 }) limit!: number;
  @ApiProperty({ example: 0 }) offset!: number;
  @ApiProperty({ nullable: true, type: Number }) nextOffset!: number | null;
}

