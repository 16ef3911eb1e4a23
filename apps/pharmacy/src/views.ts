import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { DRUG_SCHEDULES, STORE_KINDS, SUPPLY_KINDS } from '@hms/contracts-pharmacy';

// Response shapes of the pharmacy's API, for the OpenAPI document. Names carry the service's
// name: schema names must be unique across the services the gateway's document merges.

export class PharmacyFieldError {
  @ApiProperty({ example: 'lines[0].expiry' }) field!: string;
  @ApiProperty({ example: 'leaves 30 day(s) of shelf life; this store takes batches with at least 90' }) message!: string;
}

export class PharmacyProblem {
  @ApiProperty({ example: 'urn:hms:problem:shelf-life-too-short' }) type!: string;
  @ApiProperty({ example: 'Unprocessable request' }) title!: string;
  @ApiProperty({ example: 422 }) status!: number;
  @ApiProperty({ example: 'lines[0].expiry leaves 30 day(s) of shelf life; this store takes batches with at least 90' }) detail!: string;
  @ApiProperty({ example: 'shelf-life-too-short', description: 'Stable machine-readable code' }) code!: string;
  @ApiPropertyOptional() instance?: string;
  @ApiPropertyOptional() correlationId?: string;
  @ApiPropertyOptional({ type: [PharmacyFieldError] }) errors?: PharmacyFieldError[];
}

/** problem+json responses of an operation, with what each status means there. */
export function ApiProblems(responses: Record<number, string>) {
  return applyDecorators(
    ApiExtraModels(PharmacyProblem),
    ...Object.entries(responses).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, content: { 'application/problem+json': { schema: { $ref: getSchemaPath(PharmacyProblem) } } } }),
    ),
  );
}

export class PharmacyGstRate {
  @ApiProperty({ example: '2025-09-22' }) effectiveFrom!: string;
  @ApiProperty({ example: 500 }) rateBp!: number;
}

export class PharmacyItem {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'PCM500' }) code!: string;
  @ApiProperty({ enum: ['drug', 'consumable'] }) kind!: string;
  @ApiProperty({ example: 'Paracetamol' }) genericName!: string;
  @ApiProperty({ example: 'Calpol', nullable: true, type: String }) brandName!: string | null;
  @ApiProperty({ example: 'tablet' }) form!: string;
  @ApiProperty({ example: '500 mg', nullable: true, type: String }) strength!: string | null;
  @ApiProperty({ example: 'tablet' }) unit!: string;
  @ApiProperty({ example: 10 }) packSize!: number;
  @ApiProperty({ example: '30049099' }) hsn!: string;
  @ApiProperty({ enum: DRUG_SCHEDULES }) schedule!: string;
  @ApiProperty({ example: 500, nullable: true, type: Number, description: 'The rate in force today (India)' }) gstRateBp!: number | null;
  @ApiProperty({ type: [PharmacyGstRate] }) gstRates!: PharmacyGstRate[];
  @ApiProperty({ description: 'false once deactivated' }) active!: boolean;
  @ApiProperty({ example: 3, description: 'Also sent as the ETag' }) version!: number;
}

export class PharmacyStore {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'MAIN-STORE' }) code!: string;
  @ApiProperty({ example: 'Main store' }) name!: string;
  @ApiProperty({ enum: STORE_KINDS }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) wardId!: string | null;
  @ApiProperty({ example: 0 }) minShelfLifeDays!: number;
  @ApiProperty() active!: boolean;
  @ApiProperty({ example: 1, description: 'Also sent as the ETag' }) version!: number;
}

export class PharmacySupplier {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'Pune Pharma Distributors' }) name!: string;
  @ApiProperty({ example: '27AAPFU0939F1ZV' }) gstin!: string;
  @ApiProperty({ example: '27' }) stateCode!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty({ example: 1, description: 'Also sent as the ETag' }) version!: number;
}

export class PharmacyPrescription {
  @ApiProperty({ nullable: true, type: String }) id!: string | null;
  @ApiProperty({ example: 'Dr. Meera Rao' }) prescriberName!: string;
  @ApiProperty({ example: 'MMC-2011-12345' }) prescriberRegistrationNumber!: string;
  @ApiProperty({ nullable: true, type: String }) prescriberAddress!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-11-21' }) prescribedOn!: string | null;
}

export class PharmacyDispenseLine {
  @ApiProperty() itemId!: string;
  @ApiProperty({ example: 'Calpol (Paracetamol) 500 mg' }) itemName!: string;
  @ApiProperty() batchId!: string;
  @ApiProperty({ example: 'B2611A' }) batchNo!: string;
  @ApiProperty({ example: '2028-06-30' }) expiry!: string;
  @ApiProperty({ example: 10 }) quantity!: number;
  @ApiProperty({ example: 0, description: 'Units the patient has returned since' }) returnedQuantity!: number;
  @ApiProperty({ example: 200 }) mrpPaise!: number;
  @ApiProperty({ example: '3004' }) hsn!: string;
  @ApiProperty({ example: 500 }) gstRateBp!: number;
}

export class PharmacyDispense {
  @ApiProperty() id!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty({ example: 'MAIN-PHARMACY' }) storeCode!: string;
  @ApiProperty({ enum: SUPPLY_KINDS }) supplyKind!: string;
  @ApiProperty({ nullable: true, type: String }) patientId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Anita Devi' }) patientName!: string | null;
  @ApiProperty({ nullable: true, type: String }) admissionId!: string | null;
  @ApiProperty({ nullable: true, type: PharmacyPrescription }) prescription!: PharmacyPrescription | null;
  @ApiProperty() dispensedAt!: string;
  @ApiProperty({ description: 'The user who dispensed' }) dispensedBy!: string;
  @ApiProperty({ type: [PharmacyDispenseLine] }) lines!: PharmacyDispenseLine[];
}

export class PharmacyDispensePage {
  @ApiProperty({ type: [PharmacyDispense] }) items!: PharmacyDispense[];
  @ApiProperty({ example: 20 }) limit!: number;
  @ApiProperty({ example: 0 }) offset!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Offset of the next page; null on the last' }) nextOffset!: number | null;
}

export class PharmacyGoodsReceiptLine {
  @ApiProperty() itemId!: string;
  @ApiProperty({ example: 'Paracetamol 500 mg' }) itemName!: string;
  @ApiProperty() batchId!: string;
  @ApiProperty({ example: 'B2611A' }) batchNo!: string;
  @ApiProperty({ example: '2028-06-30' }) expiry!: string;
  @ApiProperty({ example: 100 }) quantity!: number;
  @ApiProperty({ example: 10 }) freeQuantity!: number;
}

export class PharmacyGoodsReceipt {
  @ApiProperty() id!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty({ example: 'MAIN-STORE' }) storeCode!: string;
  @ApiProperty() supplierId!: string;
  @ApiProperty({ example: 'Pune Pharma Distributors' }) supplierName!: string;
  @ApiProperty({ example: '27AAPFU0939F1ZV' }) supplierGstin!: string;
  @ApiProperty({ example: 'PPD/2026/00042' }) invoiceNumber!: string;
  @ApiProperty({ example: '2026-11-20' }) invoiceDate!: string;
  @ApiProperty() receivedAt!: string;
  @ApiProperty({ example: '2026-11-21', description: 'The day in India it was received' }) receivedOn!: string;
  @ApiProperty() receivedBy!: string;
  @ApiProperty({ type: [PharmacyGoodsReceiptLine] }) lines!: PharmacyGoodsReceiptLine[];
}

export class PharmacyGoodsReceiptPage {
  @ApiProperty({ type: [PharmacyGoodsReceipt] }) items!: PharmacyGoodsReceipt[];
  @ApiProperty({ example: 20 }) limit!: number;
  @ApiProperty({ example: 0 }) offset!: number;
  @ApiProperty({ nullable: true, type: Number }) nextOffset!: number | null;
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
