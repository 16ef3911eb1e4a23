import type { ArgumentMetadata } from '@nestjs/common';
import { DomainError } from '@hms/contracts-common';
import { createValidationPipe } from '@hms/platform-http';
import { CreateItemDto, CreateStoreDto, CreateSupplierDto, GstRateDto, UpdateItemDto, UpdateStoreDto, UpdateSupplierDto } from './catalogue.dto';
import { DispenseDto } from './dispensing.dto';
import { GoodsReceiptDto } from './receipts.dto';

const pipe = createValidationPipe();

/** The fields the platform's validation pipe refuses in `body` (empty: accepted). */
async function refused(metatype: ArgumentMetadata['metatype'], body: unknown): Promise<string[]> {
  try {
    await pipe.transform(body, { type: 'body', metatype });
    return [];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return [...new Set(error.errors.map((e) => e.field))];
  }
}

const ITEM = { code: 'PCM500', kind: 'drug', genericName: 'Paracetamol', form: 'tablet', unit: 'tablet', packSize: 10, hsn: '3004', schedule: 'NONE', gstRateBp: 500, gstEffectiveFrom: '2025-09-22' };
const LINE = { itemId: '01930000-0000-7000-8000-000000000001', batchNo: 'B1', expiry: '2028-06-30', quantity: 5, purchaseRatePaise: 100, mrpPaise: 150 };
const RECEIPT = { storeId: '01930000-0000-7000-8000-000000000002', supplierId: '01930000-0000-7000-8000-000000000003', invoiceNumber: 'INV-1', invoiceDate: '2026-11-20', lines: [LINE] };
const RX = { prescriberName: 'Dr. Meera Rao', prescriberRegistrationNumber: 'MMC-1', prescriberAddress: '12 MG Road, Pune' };
const DISPENSE = { storeId: '01930000-0000-7000-8000-000000000002', supplyKind: 'otc', lines: [{ itemId: LINE.itemId, quantity: 1 }] };

// Real calendar dates only, through the platform's shared rule (issue 7, item 9): these are the
// vectors the pharmacy's own isCalendarDate was tested with, and the year 0 that got a 500.
const GOOD_DATES = ['2025-09-22', '2024-02-29', '2026-12-31', '2000-02-29'];
const BAD_DATES = ['2025-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '1900-02-29', '2026-1-01', '26-01-01', '2026/01/01', '01-01-2026', '2026-01-01T00:00', ' 2026-01-01', '', '0000-01-01', '1899-12-31', '2200-01-01'];

describe('date fields of the pharmacy DTOs take real calendar dates only (issue 7, item 9)', () => {
  const fields: [string, ArgumentMetadata['metatype'], (date: unknown) => unknown, string][] = [
    ['item gstEffectiveFrom', CreateItemDto, (d) => ({ ...ITEM, gstEffectiveFrom: d }), 'gstEffectiveFrom'],
    ['GST rate effectiveFrom', GstRateDto, (d) => ({ effectiveFrom: d, rateBp: 500 }), 'effectiveFrom'],
    ['receipt invoiceDate', GoodsReceiptDto, (d) => ({ ...RECEIPT, invoiceDate: d }), 'invoiceDate'],
    ['receipt line expiry', GoodsReceiptDto, (d) => ({ ...RECEIPT, lines: [{ ...LINE, expiry: d }] }), 'lines.0.expiry'],
    ['prescription prescribedOn', DispenseDto, (d) => ({ ...DISPENSE, prescription: { ...RX, prescribedOn: d } }), 'prescription.prescribedOn'],
  ];

  describe.each(fields)('%s', (_label, metatype, body, field) => {
    it.each(GOOD_DATES)('accepts %s', async (date) => {
      expect(await refused(metatype, body(date))).toEqual([]);
    });
    it.each(BAD_DATES)('refuses %j, naming the field', async (date) => {
      expect(await refused(metatype, body(date))).toContain(field);
    });
    it('refuses a date that is not a string', async () => {
      expect(await refused(metatype, body(20260101))).toContain(field);
    });
  });
});

describe('receipt expiry as printed: a date, MM/YYYY or YYYY-MM (issue 7, item 13)', () => {
  it.each(['06/2028', '2028-06', '02/2028', '2028-06-30'])('accepts %s', async (expiry) => {
    expect(await refused(GoodsReceiptDto, { ...RECEIPT, lines: [{ ...LINE, expiry }] })).toEqual([]);
  });
  it.each(['13/2028', '6/2028', '06-2028', '2028/06', '06/0000', 'June 2028', '31/12/2029'])('refuses %s', async (expiry) => {
    expect(await refused(GoodsReceiptDto, { ...RECEIPT, lines: [{ ...LINE, expiry }] })).toEqual(['lines.0.expiry']);
  });
});

describe('names of only white space are refused, naming the field (issue 7, item 10)', () => {
  const BLANKS = ['', ' ', '   ', '\t', '\n ', '\u00a0', '\u2003'];
  const cases: [string, ArgumentMetadata['metatype'], (blank: string) => unknown, string][] = [
    ['a store name', CreateStoreDto, (b) => ({ code: 'MAIN', name: b, kind: 'pharmacy' }), 'name'],
    ['a store name in a change', UpdateStoreDto, (b) => ({ name: b }), 'name'],
    ['a supplier name', CreateSupplierDto, (b) => ({ name: b, gstin: '27AAPFU0939F1ZV' }), 'name'],
    ['a supplier name in a change', UpdateSupplierDto, (b) => ({ name: b }), 'name'],
    ['an item generic name', CreateItemDto, (b) => ({ ...ITEM, genericName: b }), 'genericName'],
    ['an item brand name', CreateItemDto, (b) => ({ ...ITEM, brandName: b }), 'brandName'],
    ['an item form', CreateItemDto, (b) => ({ ...ITEM, form: b }), 'form'],
    ['an item strength', CreateItemDto, (b) => ({ ...ITEM, strength: b }), 'strength'],
    ['an item unit', CreateItemDto, (b) => ({ ...ITEM, unit: b }), 'unit'],
    ['an item generic name in a change', UpdateItemDto, (b) => ({ genericName: b }), 'genericName'],
    ['an item unit in a change', UpdateItemDto, (b) => ({ unit: b }), 'unit'],
    ['an invoice number', GoodsReceiptDto, (b) => ({ ...RECEIPT, invoiceNumber: b }), 'invoiceNumber'],
  ];
  describe.each(cases)('%s', (_label, metatype, body, field) => {
    it.each(BLANKS)('refuses %j', async (blank) => {
      expect(await refused(metatype, body(blank))).toContain(field);
    });
  });

  it('refuses null for a field a change may leave out but not clear, and lets null clear brand name and strength', async () => {
    for (const field of ['genericName', 'form', 'unit', 'packSize', 'hsn', 'schedule', 'kind', 'active']) expect(await refused(UpdateItemDto, { [field]: null })).toEqual([field]);
    expect(await refused(UpdateItemDto, { brandName: null, strength: null })).toEqual([]);
    expect(await refused(UpdateStoreDto, { name: null })).toEqual(['name']);
    expect(await refused(UpdateSupplierDto, { active: null })).toEqual(['active']);
  });

  it('checks a typed patient name for bidirectional controls; a blank one is left to the dispensing rules (422)', async () => {
    expect(await refused(DispenseDto, { ...DISPENSE, patientName: 'Anita\u202eDevi' })).toEqual(['patientName']);
    expect(await refused(DispenseDto, { ...DISPENSE, patientName: 'Anita Devi' })).toEqual([]);
    expect(await refused(DispenseDto, { ...DISPENSE, patientName: '  ' })).toEqual([]);
    expect(await refused(DispenseDto, { ...DISPENSE, patientName: 42 })).toEqual(['patientName']);
  });

  it('takes GST rates up to 40% at the DTO; which rate is in force on which date the catalogue decides', async () => {
    expect(await refused(CreateItemDto, { ...ITEM, gstRateBp: 4000 })).toEqual([]);
    expect(await refused(CreateItemDto, { ...ITEM, gstRateBp: 4001 })).toEqual(['gstRateBp']);
  });
});
