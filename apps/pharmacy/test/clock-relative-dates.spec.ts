import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCalendarDate } from '@hms/platform-http';

/**
 * Issue 7, item 19: pharmacy tests named expiry and invoice dates (2027-01-31, 2027-03-31, 2028-…)
 * against the real clock, and would start failing as the calendar overtook them. Fixtures near or
 * after the present are relative to the service's clock (support.ts, serviceClock); a literal date
 * is only a historical one (GST-05's 22 Sep 2025, GST's start) or an impossible one (30 February).
 */
const LATEST_LITERAL = '2025-12-31';
const DATE = /(?<![\d-])(\d{4}-\d{2}-\d{2})(?![\d])/g;

describe('pharmacy test fixtures follow the clock (issue 7, item 19)', () => {
  const folder = __dirname;
  // This file names the dates it forbids; every other test and support file of the pharmacy is read.
  const files = readdirSync(folder).filter((f) => f.endsWith('.ts') && f !== 'clock-relative-dates.spec.ts');

  it.each(files)('%s names no real date later than 2025-12-31', (file) => {
    const lines = readFileSync(join(folder, file), 'utf8').split('\n');
    const found = lines.flatMap((line, i) =>
      [...line.matchAll(DATE)].map((m) => m[1]).filter((d) => isCalendarDate(d) && d > LATEST_LITERAL).map((d) => `${file}:${i + 1} ${d}`),
    );
    expect(found).toEqual([]);
  });
});
