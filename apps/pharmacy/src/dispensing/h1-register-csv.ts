/**
 * The Schedule H1 register as CSV (RFC 4180) for an inspector or a spreadsheet: one row per batch
 * supplied, with the patient's id beside the name so that a reader of the export (the gateway's
 * access trail) knows whose data left.
 */
export interface H1CsvEntry {
  suppliedAt: string;
  suppliedOn: string;
  dispenseId: string;
  patientId: string | null;
  patientName: string;
  prescriberName: string;
  prescriberRegistrationNumber: string;
  prescriberAddress: string;
  drugName: string;
  batchNo: string;
  quantity: number;
  pharmacistId: string;
}

export const H1_CSV_COLUMNS: readonly (keyof H1CsvEntry)[] = [
  'suppliedOn',
  'suppliedAt',
  'dispenseId',
  'patientId',
  'patientName',
  'prescriberName',
  'prescriberRegistrationNumber',
  'prescriberAddress',
  'drugName',
  'batchNo',
  'quantity',
  'pharmacistId',
];

/**
 * One CSV cell. A text that a spreadsheet would run as a formula (starting with =, +, -, @, or a
 * tab or carriage return that hides one) gets a leading apostrophe; a cell with a comma, a quote
 * or a line break is quoted, its quotes doubled.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The register as CSV text: a header row, then one line per entry, CRLF line ends. */
export function h1RegisterCsv(entries: readonly H1CsvEntry[]): string {
  const lines = [H1_CSV_COLUMNS.join(','), ...entries.map((e) => H1_CSV_COLUMNS.map((c) => csvCell(e[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
