import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { PageQuery } from '@hms/platform-http';
import { QueryId, QueryOneOf } from './query-fields';

const MAX_UNITS = 10_000_000;

export class TransferLineDto {
  @ApiProperty() @IsUUID() itemId!: string;
  @ApiPropertyOptional({ description: 'A batch to send; without it, first-expiry-first-out across the usable batches' }) @IsOptional() @IsUUID() batchId?: string;
  @ApiProperty({ example: 50 }) @IsInt() @Min(1) @Max(MAX_UNITS) quantity!: number;
}

export class StockTransferDto {
  @ApiProperty() @IsUUID() fromStoreId!: string;
  @ApiProperty() @IsUUID() toStoreId!: string;

  @ApiProperty({ type: [TransferLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => TransferLineDto)
  lines!: TransferLineDto[];

  @ApiPropertyOptional({ description: 'Receive at the other store now; otherwise the stock is in transit until received', default: false })
  @IsOptional()
  @IsBoolean()
  receive?: boolean;
}

/** GET transfers: newest first, by status and by a store at either end. */
export class ListTransfersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['in-transit', 'received'] }) @QueryOneOf(['in-transit', 'received']) status?: 'in-transit' | 'received';
  @ApiPropertyOptional({ format: 'uuid', description: 'Sent from or to this store' }) @QueryId() storeId?: string;
}
