import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@hms/platform-http';
import { QueryId } from './query-fields';

/** GET stock: on hand per store and batch. */
export class StockOnHandQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() storeId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() itemId?: string;
}
