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

