import type { ArgumentMetadata } from '@nestjs/common';
import { DomainError } from '@hms/contracts-common';
import { createValidationPipe } from '@hms/platform-http';
import { ListItemsQuery, ListStoresQuery } from './catalogue.dto';
import { ListDispensesQuery } from './dispensing.dto';
import { H1RangeQuery, H1RegisterQuery } from './h1-register.dto';
import { ListGoodsReceiptsQuery } from './receipts.dto';
import { MovementsReportQuery, NearExpiryReportQuery } from './reports.dto';
import { ListTransfersQuery } from './transfers.dto';

const pipe = createValidationPipe();
const ID = '01930000-0000-7000-8000-00000000AAAA';
const REAL_DATE = 'must be a real date (YYYY-MM-DD) from 1900-01-01 to 2199-12-31';

const parse = (metatype: ArgumentMetadata['metatype'], query: Record<string, unknown>) => pipe.transform(query, { type: 'query', metatype }) as Promise<Record<string, unknown>>;

/** The field errors the pipe answers a query with (empty: accepted). */
async function refused(metatype: ArgumentMetadata['metatype'], query: Record<string, unknown>): Promise<{ field: string; message: string }[]> {
  try {
    await parse(metatype, query);
    return [];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return [...error.errors];
  }
}

describe('the pharmacy list queries keep their parameters, fields and messages', () => {
  it('parses ids to lower case, treats an empty value as absent, and pages', async () => {
    expect(await parse(ListGoodsReceiptsQuery, { storeId: ID, supplierId: '', limit: '5' })).toMatchObject({ storeId: ID.toLowerCase(), supplierId: undefined, limit: 5, offset: 0 });
    expect(await refused(ListGoodsReceiptsQuery, { storeId: 'x' })).toEqual([{ field: 'storeId', message: 'must be an id' }]);
    expect(await refused(ListGoodsReceiptsQuery, { from: '2026-02-30' })).toEqual([{ field: 'from', message: REAL_DATE }]);
    expect(await refused(ListGoodsReceiptsQuery, { from: '2026-11-02', to: '2026-11-01' })).toEqual([{ field: 'from', message: 'must not be after to' }]);
    expect(await refused(ListGoodsReceiptsQuery, { limit: '0' })).toEqual([{ field: 'limit', message: 'must be a whole number from 1 to 100' }]);
  });

  it('reads booleans and fixed sets', async () => {
    expect(await parse(ListStoresQuery, { includeInactive: 'true' })).toMatchObject({ includeInactive: true });
    expect(await parse(ListStoresQuery, { includeInactive: 'false' })).toMatchObject({ includeInactive: false });
    expect(await refused(ListStoresQuery, { includeInactive: 'maybe' })).toEqual([{ field: 'includeInactive', message: 'must be one of true, false' }]);
    expect(await refused(ListTransfersQuery, { status: 'lost' })).toEqual([{ field: 'status', message: 'must be one of in-transit, received' }]);
    expect(await refused(H1RegisterQuery, { from: '2026-11-01', to: '2026-11-01', format: 'xlsx' })).toEqual([{ field: 'format', message: 'must be one of json, csv' }]);
  });

  it('takes a search of 1 to 100 characters', async () => {
    expect(await parse(ListItemsQuery, { q: 'para' })).toMatchObject({ q: 'para' });
    for (const q of ['', 'a'.repeat(101)]) expect((await refused(ListItemsQuery, { q })).map((e) => [e.field, e.message])).toContainEqual(['q', 'must be 1 to 100 characters']);
  });

  it('needs the register period, real and in order', async () => {
    expect(await refused(H1RangeQuery, {})).toEqual([
      { field: 'from', message: 'is required (YYYY-MM-DD)' },
      { field: 'to', message: 'is required (YYYY-MM-DD)' },
    ]);
    expect(await refused(H1RangeQuery, { from: '2026-11-02', to: '2026-11-01' })).toEqual([{ field: 'from', message: 'must not be after to' }]);
    expect(await refused(H1RangeQuery, { from: ['2026-11-01', '2026-11-01'], to: '2026-11-01' })).toEqual([{ field: 'from', message: REAL_DATE }]);
  });

  it('asks for a patient or an admission, and for an item or a batch but not both', async () => {
    expect(await refused(ListDispensesQuery, { patientId: '' })).toEqual([{ field: 'patientId', message: 'or admissionId is required' }]);
    expect(await refused(ListDispensesQuery, { admissionId: ID })).toEqual([]);
    expect(await refused(MovementsReportQuery, {})).toEqual([{ field: 'itemId', message: 'or batchId is required, not both' }]);
    expect(await refused(MovementsReportQuery, { itemId: ID, batchId: ID })).toEqual([{ field: 'itemId', message: 'or batchId is required, not both' }]);
  });

  it('takes near-expiry days from 1 to 730, 90 by default', async () => {
    expect(await parse(NearExpiryReportQuery, {})).toMatchObject({ days: 90 });
    expect(await parse(NearExpiryReportQuery, { days: '' })).toMatchObject({ days: 90 });
    expect(await parse(NearExpiryReportQuery, { days: '730' })).toMatchObject({ days: 730 });
    for (const days of ['0', '731', 'abc', '-1', '2.5']) expect(await refused(NearExpiryReportQuery, { days })).toEqual([{ field: 'days', message: 'must be a whole number from 1 to 730' }]);
  });
});
