import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';

const MAX_UNITS = 10_000_000;

export class BatchQuantityDto {
  @ApiProperty() @IsUUID() batchId!: string;
  @ApiProperty({ example: 5 }) @IsInt() @Min(1) @Max(MAX_UNITS) quantity!: number;
}

export class ReturnDto {
  @ApiPropertyOptional({ example: 'Course changed' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;

  @ApiProperty({ type: [BatchQuantityDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => BatchQuantityDto)
  lines!: BatchQuantityDto[];
}

export class SupplierReturnDto extends ReturnDto {
  @ApiProperty() @IsUUID() storeId!: string;
  @ApiProperty() @IsUUID() supplierId!: string;
}

