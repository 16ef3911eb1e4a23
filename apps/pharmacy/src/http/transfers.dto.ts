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

const TRANSFER_STATUSES = ['in-transit', 'received'] as const;

/** GET transfers: newest first, by status and by a store at either end. */
export class ListTransfersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: TRANSFER_STATUSES }) @QueryOneOf(TRANSFER_STATUSES) status?: (typeof TRANSFER_STATUSES)[number];
  @ApiPropertyOptional({ format: 'uuid', description: 'Sent from or to this store' }) @QueryId() storeId?: string;
}

// Responses. Names carry the service's name: schema names must be unique across the services the
// gateway's document merges.

export class PharmacyTransferLine {
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ example: 'Paracetamol' }) itemName!: string;
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty({ example: 'B2611A' }) batchNo!: string;
  @ApiProperty({ format: 'date', example: '2028-06-30' }) expiry!: string;
  @ApiProperty({ example: 50 }) quantity!: number;
}

export class PharmacyTransfer {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) fromStoreId!: string;
  @ApiProperty({ example: 'MAIN-STORE' }) fromStoreCode!: string;
  @ApiProperty({ format: 'uuid' }) toStoreId!: string;
  @ApiProperty({ example: 'WARD-3' }) toStoreCode!: string;
  @ApiProperty({ enum: TRANSFER_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) sentAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'null while in transit' }) receivedAt!: string | null;
  @ApiProperty({ description: 'The user who sent it' }) sentBy!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The user who received it; null while in transit' }) receivedBy!: string | null;
  @ApiProperty({ type: [PharmacyTransferLine], description: 'The batches sent' }) lines!: PharmacyTransferLine[];
}
