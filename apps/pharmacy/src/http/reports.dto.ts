import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { PageQuery } from '@hms/platform-http';
import { nearExpiryDays } from '../domain';
import { NotAfterTo, OrRequired, QueryDate, QueryId } from './query-fields';

/** A report of one store, or of all the branch's stores. */
export class StoreReportQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() storeId?: string;
}

/** A paged report of one store, or of all the branch's stores. */
export class PagedStoreReportQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() storeId?: string;
}

/** GET reports/in-transit. */
export class InTransitReportQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Sent from or to this store' }) @QueryId() storeId?: string;
}

/** GET reports/near-expiry: batches expiring within the next `days` days. */
export class NearExpiryReportQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() storeId?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 730, default: 90, example: 90 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (nearExpiryDays(value) ?? value) : value))
  @ValidateBy({ name: 'nearExpiryDays', validator: { validate: (value: unknown) => typeof value === 'number' } }, { message: 'must be a whole number from 1 to 730' })
  days = 90;
}

/** GET reports/movements: an item's or a batch's ledger rows between two dates (India, inclusive). */
export class MovementsReportQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Give itemId or batchId, not both' }) @QueryId() @OrRequired('batchId', { notBoth: true }) itemId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() batchId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() storeId?: string;
  @ApiPropertyOptional({ example: '2026-11-01' }) @QueryDate() @NotAfterTo() from?: string;
  @ApiPropertyOptional({ example: '2026-11-30' }) @QueryDate() to?: string;
}
