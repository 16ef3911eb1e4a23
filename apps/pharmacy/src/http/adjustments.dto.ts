import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, NotEquals, ValidateNested } from 'class-validator';
import { IsNotBlank } from '@hms/platform-http';

const MAX_UNITS = 10_000_000;

export class AdjustmentLineDto {
  @ApiProperty() @IsUUID() batchId!: string;
  @ApiProperty({ example: -3, description: 'Signed: positive adds stock, negative takes it away; never zero' })
  @IsInt()
  @NotEquals(0)
  @Min(-MAX_UNITS)
  @Max(MAX_UNITS)
  quantity!: number;
}

export class AdjustmentDto {
  @ApiProperty() @IsUUID() storeId!: string;
  @ApiProperty({ example: 'Strip damaged in handling', description: 'Required: why the stock changes' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  @IsNotBlank()
  reason!: string;

  @ApiProperty({ type: [AdjustmentLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AdjustmentLineDto)
  lines!: AdjustmentLineDto[];
}

export class ExpiryWriteOffDto {
  @ApiProperty() @IsUUID() storeId!: string;
  @ApiPropertyOptional({ example: 'Monthly expiry write-off' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class StockCountDto {
  @ApiProperty() @IsUUID() batchId!: string;
  @ApiProperty({ example: 48 }) @IsInt() @Min(0) @Max(MAX_UNITS) countedQuantity!: number;
}

export class StockTakeDto {
  @ApiProperty() @IsUUID() storeId!: string;
  @ApiPropertyOptional({ example: 'Quarterly physical verification' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;

  @ApiProperty({ type: [StockCountDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => StockCountDto)
  counts!: StockCountDto[];
}


// Responses. Names carry the service's name: schema names must be unique across the services the
// gateway's document merges.

/** A batch whose stock a correction moved. */
export class PharmacyAdjustedLine {
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ example: 'Paracetamol', description: 'The item’s generic name' }) itemName!: string;
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty({ example: 'B2611A' }) batchNo!: string;
  @ApiProperty({ format: 'date', example: '2028-06-30', description: 'Usable through this day' }) expiry!: string;
  @ApiProperty({ example: -3, description: 'Signed: the change to on hand' }) quantity!: number;
  @ApiProperty({ example: 45, description: 'On hand in the store after the change' }) onHand!: number;
}

export class PharmacyStockAdjustment {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ enum: ['adjustment'] }) kind!: 'adjustment';
  @ApiProperty({ example: 'Strip damaged in handling' }) reason!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: [PharmacyAdjustedLine] }) lines!: PharmacyAdjustedLine[];
}

export class PharmacyExpiryWriteOff {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null when the store had no expired stock' }) id!: string | null;
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ enum: ['expiry-write-off'] }) kind!: 'expiry-write-off';
  @ApiProperty({ nullable: true, type: String, example: 'Monthly expiry write-off', description: 'null when nothing was written off' }) reason!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: [PharmacyAdjustedLine], description: 'One line per expired batch written off; empty when there was none' }) lines!: PharmacyAdjustedLine[];
  @ApiProperty({ example: 4500, description: 'The written-off stock at purchase rate, paise' }) writtenOffPurchaseValuePaise!: number;
}

/** A counted batch, with what was on hand when counted. */
export class PharmacyStockTakeCount {
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ example: 'Paracetamol', description: 'The item’s generic name' }) itemName!: string;
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty({ example: 'B2611A' }) batchNo!: string;
  @ApiProperty({ format: 'date', example: '2028-06-30' }) expiry!: string;
  @ApiProperty({ example: 50 }) onHand!: number;
  @ApiProperty({ example: 48 }) counted!: number;
  @ApiProperty({ example: -2, description: 'counted minus onHand; zero ones are listed too' }) difference!: number;
}

export class PharmacyStockTake {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ enum: ['stock-take'] }) kind!: 'stock-take';
  @ApiProperty({ example: 'Quarterly physical verification', description: '"stock take" when none was given' }) reason!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: [PharmacyAdjustedLine], description: 'The batches whose count differed from on hand' }) lines!: PharmacyAdjustedLine[];
  @ApiProperty({ type: [PharmacyStockTakeCount], description: 'Every count, in the order sent' }) counts!: PharmacyStockTakeCount[];
}
