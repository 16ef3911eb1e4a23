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


// Responses. Names carry the service's name: schema names must be unique across the services the
// gateway's document merges.

/** A batch that came back. */
export class PharmacyReturnedLine {
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ example: 'Paracetamol', description: 'The item’s generic name' }) itemName!: string;
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty({ example: 'B2611A' }) batchNo!: string;
  @ApiProperty({ format: 'date', example: '2028-06-30' }) expiry!: string;
  @ApiProperty({ example: 5 }) quantity!: number;
}

export class PharmacyPatientReturn {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['patient-return'] }) kind!: 'patient-return';
  @ApiProperty({ format: 'uuid', description: 'The store it was dispensed from, which takes it back' }) storeId!: string;
  @ApiProperty({ format: 'uuid' }) dispenseId!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Always null on a patient return' }) supplierId!: null;
  @ApiProperty({ nullable: true, type: String, example: 'Course changed' }) reason!: string | null;
  @ApiProperty({ format: 'date-time' }) returnedAt!: string;
  @ApiProperty({ type: [PharmacyReturnedLine] }) lines!: PharmacyReturnedLine[];
}

export class PharmacySupplierReturn {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['return-to-supplier'] }) kind!: 'return-to-supplier';
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Always null on a return to supplier' }) dispenseId!: null;
  @ApiProperty({ format: 'uuid' }) supplierId!: string;
  @ApiProperty({ nullable: true, type: String, example: 'Short-dated stock' }) reason!: string | null;
  @ApiProperty({ format: 'date-time' }) returnedAt!: string;
  @ApiProperty({ type: [PharmacyReturnedLine] }) lines!: PharmacyReturnedLine[];
}
