import { csvCell, h1RegisterCsv, type H1CsvEntry } from './h1-register-csv';

const ENTRY: H1CsvEntry = {
  suppliedOn: '2026-11-21',
  suppliedAt: '2026-11-21T05:30:00.000Z',
  dispenseId: '01930000-0000-7000-8000-0000000000d1',
  patientId: '01930000-0000-7000-8000-0000000000a1',
  patientName: 'Anita Devi',
  prescriberName: 'Dr. Meera Rao',
  prescriberRegistrationNumber: 'MMC-2011-12345',
  prescriberAddress: '12 MG Road, Pune',
  drugName: 'Taxim-O (Cefixime) 200 mg',
  batchNo: 'CFX-B7',
  quantity: 10,
  pharmacistId: 'pharmacist-7',
};

describe('the H1 register as CSV (issue 7, item 18)', () => {
  // [cell, as written]
  const cells: [string | number | null, string][] = [
    ['Anita Devi', 'Anita Devi'],
    ['12 MG Road, Pune', '"12 MG Road, Pune"'],
    ['Dr. "Meera" Rao', '"Dr. ""Meera"" Rao"'],
    ['Line one\nline two', '"Line one\nline two"'],
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['+91 98123 00001', "'+91 98123 00001"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=1+1', "'\t=1+1"],
    ['अनीता देवी', 'अनीता देवी'],
    ['Cefixime =200', 'Cefixime =200'],
    [10, '10'],
    [null, ''],
  ];
  it.each(cells)('writes %j as %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('has a header naming patientId, one CRLF-ended line per entry, and an empty cell for a walk-in', () => {
    const csv = h1RegisterCsv([ENTRY, { ...ENTRY, patientId: null, patientName: 'Walk-in, Ravi' }]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('suppliedOn,suppliedAt,dispenseId,patientId,patientName,prescriberName,prescriberRegistrationNumber,prescriberAddress,drugName,batchNo,quantity,pharmacistId');
    expect(lines[1]).toBe(
      '2026-11-21,2026-11-21T05:30:00.000Z,01930000-0000-7000-8000-0000000000d1,01930000-0000-7000-8000-0000000000a1,Anita Devi,Dr. Meera Rao,MMC-2011-12345,"12 MG Road, Pune",Taxim-O (Cefixime) 200 mg,CFX-B7,10,pharmacist-7',
    );
    expect(lines[2]).toContain(',01930000-0000-7000-8000-0000000000d1,,"Walk-in, Ravi",');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(h1RegisterCsv([])).toBe(`${lines[0]}\r\n`);
  });
});
