import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@hms/platform-http';
import { QueryId } from './query-fields';

/** GET stock: on hand per store and batch. */
export class StockOnHandQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() storeId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @QueryId() itemId?: string;
}

// Responses. Names carry the service's name: schema names must be unique across the services the
// gateway's document merges.

/** A batch in a store and how much of it is there: what the stock list and the stock reports share. */
export class PharmacyBatchInStore {
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ example: 'MAIN-STORE' }) storeCode!: string;
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ example: 'PCM500' }) itemCode!: string;
  @ApiProperty({ example: 'Paracetamol' }) genericName!: string;
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty({ example: 'B2611A' }) batchNo!: string;
  @ApiProperty({ format: 'date', example: '2028-06-30', description: 'Usable through this day' }) expiry!: string;
  @ApiProperty({ example: 48 }) onHand!: number;
}

/** Stock on hand of a batch in a store. */
export class PharmacyStockOnHand extends PharmacyBatchInStore {
  @ApiProperty({ example: 200, description: 'Per unit, paise' }) mrpPaise!: number;
  @ApiProperty({ example: 150, description: 'Per unit, paise' }) purchaseRatePaise!: number;
  @ApiProperty({ description: 'The expiry date has passed (India)' }) expired!: boolean;
}
