import { Message } from 'node-hl7-client';
import { DISCHARGE_TYPES, type DischargeType } from '@hms/contracts-wards';
import { HL7_DISCHARGE_DISPOSITION, buildAdtMessage, controlIdFor, escapeHl7, hl7Date, hl7Sex, hl7Timestamp, type AdtMessageInput } from './hl7';

const admitted = new Date('2026-04-01T04:30:00Z'); // 10:00 in India
const input = (overrides: Partial<AdtMessageInput> = {}): AdtMessageInput => ({
  trigger: 'A01',
  controlId: controlIdFor(7),
  createdAt: new Date('2026-04-01T04:30:05Z'),
  branchCode: 'BLR',
  event: { recordedAt: admitted, occurredAt: admitted, operator: { id: 'u-1', name: 'Asha Nair' } },
  patient: { uhid: 'BLR00000042', name: 'Lakshmi Devi', sex: 'F', dateOfBirth: '1980-01-31' },
  visit: {
    ipNumber: 'IP/26-27/000001',
    admissionType: 'emergency',
    attendingDoctor: { id: 'D-9', name: 'Dr. Meera Rao' },
    reason: 'Fever for five days',
    admittedAt: admitted,
    expectedDischargeAt: new Date('2026-04-04T04:30:00Z'),
    location: { ward: 'W1', room: 'R2', bed: 'B3' },
  },
  ...overrides,
});

const parse = (text: string) => new Message({ text });
const field = (m: Message, path: string) => m.get(path).toString();

describe('escapeHl7', () => {
  it.each([
    ['|', '\\F\\'],
    ['^', '\\S\\'],
    ['~', '\\R\\'],
    ['\\', '\\E\\'],
    ['&', '\\T\\'],
    ['\r', '\\X0D\\'],
    ['\n', '\\X0A\\'],
  ])('escapes %j as %s', (raw, escaped) => {
    expect(escapeHl7(`a${raw}b`)).toBe(`a${escaped}b`);
  });

  it('escapes the escape character once, not the escapes it wrote', () => {
    expect(escapeHl7('\\|\\')).toBe('\\E\\\\F\\\\E\\');
  });

  it('leaves other text, Indian scripts included, as it is', () => {
    expect(escapeHl7('Dr. R. K. Sharma (MD) — लक्ष्मी / 50%')).toBe('Dr. R. K. Sharma (MD) — लक्ष्मी / 50%');
  });
});

describe('hl7Timestamp', () => {
  it.each([
    ['2026-04-01T04:30:00Z', '20260401100000+0530'],
    ['2026-03-31T18:30:00Z', '20260401000000+0530'],
    ['2026-03-31T18:29:59.999Z', '20260331235959+0530'],
    ['2026-12-31T20:00:00+05:30', '20261231200000+0530'],
  ])('%s is %s in India', (instant, ts) => {
    expect(hl7Timestamp(new Date(instant))).toBe(ts);
  });

  it('refuses an invalid date', () => {
    expect(() => hl7Timestamp(new Date('nonsense'))).toThrow(RangeError);
  });
});

describe('small values', () => {
  it('writes a date of birth as YYYYMMDD', () => {
    expect(hl7Date('1980-01-31')).toBe('19800131');
    expect(() => hl7Date('31/01/1980')).toThrow(RangeError);
  });

  it('makes control ids from the feed sequence, within MSH-10’s 20 characters', () => {
    expect(controlIdFor(1)).toBe('HMS000000000001');
    expect(controlIdFor(Number.MAX_SAFE_INTEGER).length).toBeLessThanOrEqual(20);
    expect(() => controlIdFor(0)).toThrow(RangeError);
    expect(() => controlIdFor(1.5)).toThrow(RangeError);
  });

  it('maps sex to HL7 table 0001', () => {
    expect(['M', 'F', 'O', 'U', 'X'].map(hl7Sex)).toEqual(['M', 'F', 'O', 'U', 'U']);
  });

  it.each(DISCHARGE_TYPES.map((t) => [t]))('has a PV1-36 disposition for %s', (t: DischargeType) => {
    expect(HL7_DISCHARGE_DISPOSITION[t]).toMatch(/^\d{2}$/);
  });
});

describe('buildAdtMessage', () => {
  it('builds an A01 that a parser reads back field by field', () => {
    const text = buildAdtMessage(input());
    expect(text.split('\r').filter(Boolean).map((s) => s.slice(0, 3))).toEqual(['MSH', 'EVN', 'PID', 'PV1', 'PV2']);
    expect(text).not.toContain('\n');
    expect(text.endsWith('\r')).toBe(true);
    expect(text.startsWith('MSH|^~\\&|HMS^BLR|BLR|')).toBe(true);

    const m = parse(text);
    expect(field(m, 'MSH.3.1')).toBe('HMS');
    expect(field(m, 'MSH.3.2')).toBe('BLR');
    expect(field(m, 'MSH.5')).toBe('ADT-SUBSCRIBERS');
    expect(field(m, 'MSH.7')).toBe('20260401100005+0530');
    expect(m.get('MSH.7').toDate().toISOString()).toBe('2026-04-01T04:30:05.000Z');
    expect([field(m, 'MSH.9.1'), field(m, 'MSH.9.2'), field(m, 'MSH.9.3')]).toEqual(['ADT', 'A01', 'ADT_A01']);
    expect(field(m, 'MSH.10')).toBe('HMS000000000007');
    expect(field(m, 'MSH.11')).toBe('P');
    expect(field(m, 'MSH.12')).toBe('2.5');
    expect(field(m, 'MSH.18')).toBe('UNICODE UTF-8');

    expect(field(m, 'EVN.1')).toBe('A01');
    expect(field(m, 'EVN.2')).toBe('20260401100000+0530');
    expect([field(m, 'EVN.5.1'), field(m, 'EVN.5.2')]).toEqual(['u-1', 'Asha Nair']);
    expect(field(m, 'EVN.6')).toBe('20260401100000+0530');

    expect(field(m, 'PID.3.1')).toBe('BLR00000042');
    expect([field(m, 'PID.3.4.1'), field(m, 'PID.3.4.2'), field(m, 'PID.3.5')]).toEqual(['HMS', 'BLR', 'MR']);
    expect(field(m, 'PID.5.1')).toBe('Lakshmi Devi');
    expect(field(m, 'PID.7')).toBe('19800131');
    expect(field(m, 'PID.8')).toBe('F');

    expect(field(m, 'PV1.2')).toBe('I');
    expect([field(m, 'PV1.3.1'), field(m, 'PV1.3.2'), field(m, 'PV1.3.3')]).toEqual(['W1', 'R2', 'B3']);
    expect(field(m, 'PV1.4')).toBe('E');
    expect(field(m, 'PV1.6')).toBe('');
    expect([field(m, 'PV1.7.1'), field(m, 'PV1.7.2')]).toEqual(['D-9', 'Dr. Meera Rao']);
    expect(field(m, 'PV1.17.2')).toBe('Dr. Meera Rao');
    expect(field(m, 'PV1.19.1')).toBe('IP/26-27/000001');
    expect(field(m, 'PV1.19.5')).toBe('VN');
    expect(field(m, 'PV1.36')).toBe('');
    expect(field(m, 'PV1.44')).toBe('20260401100000+0530');
    expect(field(m, 'PV1.45')).toBe('');
    expect(field(m, 'PV2.3.2')).toBe('Fever for five days');
    expect(field(m, 'PV2.9')).toBe('20260404100000+0530');
  });

  it('maps admission types to HL7 table 0007', () => {
    const type = (admissionType: AdtMessageInput['visit']['admissionType']) =>
      field(parse(buildAdtMessage(input({ visit: { ...input().visit, admissionType } }))), 'PV1.4');
    expect([type('emergency'), type('elective'), type('day-care')]).toEqual(['E', 'C', 'R']);
  });

  it('builds an A02 with the prior location in PV1-6', () => {
    const transferredAt = new Date('2026-04-02T06:00:00Z');
    const m = parse(
      buildAdtMessage(
        input({
          trigger: 'A02',
          event: { recordedAt: transferredAt, occurredAt: transferredAt, operator: null },
          visit: { ...input().visit, location: { ward: 'ICU', room: null, bed: 'I4' }, priorLocation: { ward: 'W1', room: 'R2', bed: 'B3' } },
        }),
      ),
    );
    expect([field(m, 'MSH.9.2'), field(m, 'MSH.9.3'), field(m, 'EVN.1')]).toEqual(['A02', 'ADT_A02', 'A02']);
    expect([field(m, 'PV1.3.1'), field(m, 'PV1.3.2'), field(m, 'PV1.3.3')]).toEqual(['ICU', '', 'I4']);
    expect([field(m, 'PV1.6.1'), field(m, 'PV1.6.2'), field(m, 'PV1.6.3')]).toEqual(['W1', 'R2', 'B3']);
    expect(field(m, 'EVN.5')).toBe('');
    expect(field(m, 'EVN.6')).toBe('20260402113000+0530');
    expect(field(m, 'PV1.44')).toBe('20260401100000+0530');
  });

  it.each([
    ['normal', '01'],
    ['against-medical-advice', '07'],
    ['referred', '02'],
    ['absconded', '07'],
    ['death', '20'],
  ] as const)('builds an A03 for a %s discharge with disposition %s and the discharge time', (type, code) => {
    const at = new Date('2026-04-05T09:15:30Z');
    const m = parse(buildAdtMessage(input({ trigger: 'A03', visit: { ...input().visit, discharge: { at, type } } })));
    expect([field(m, 'MSH.9.2'), field(m, 'MSH.9.3')]).toEqual(['A03', 'ADT_A03']);
    expect(field(m, 'PV1.36')).toBe(code);
    expect(field(m, 'PV1.45')).toBe('20260405144530+0530');
    expect(field(m, 'PV1.6')).toBe('');
  });

  it('escapes delimiters in free text so that they survive the round trip', () => {
    const tricky = 'Rao | Sharma ^ S/o ~ Kumar \\ B & Co\nline two';
    const text = buildAdtMessage(
      input({
        patient: { ...input().patient, name: tricky },
        visit: { ...input().visit, attendingDoctor: { id: 'D&1', name: 'Dr. A^B' }, reason: 'Pain | fever & chills ~ 3 days \\ none' },
      }),
    );
    expect(text.split('\r').filter(Boolean)).toHaveLength(5);
    expect(text).toContain('Rao \\F\\ Sharma \\S\\ S/o \\R\\ Kumar \\E\\ B \\T\\ Co\\X0A\\line two');
    const m = parse(text);
    expect(field(m, 'PID.5.1')).toBe(tricky);
    expect(field(m, 'PID.5.2')).toBe('');
    expect(field(m, 'PV1.7.1')).toBe('D&1');
    expect(field(m, 'PV1.7.2')).toBe('Dr. A^B');
    expect(field(m, 'PV2.3.2')).toBe('Pain | fever & chills ~ 3 days \\ none');
    expect(field(m, 'PV1.19.1')).toBe('IP/26-27/000001');
  });

  it('leaves out what it does not know', () => {
    const m = parse(
      buildAdtMessage(input({ patient: { ...input().patient, dateOfBirth: null, sex: 'U' }, visit: { ...input().visit, expectedDischargeAt: null, attendingDoctor: { id: null, name: 'Dr. X' } } })),
    );
    expect(field(m, 'PID.7')).toBe('');
    expect(field(m, 'PID.8')).toBe('U');
    expect(field(m, 'PV2.9')).toBe('');
    expect([field(m, 'PV1.7.1'), field(m, 'PV1.7.2')]).toEqual(['', 'Dr. X']);
  });

  it('refuses a transfer without its prior location, a discharge without its discharge, and a long control id', () => {
    expect(() => buildAdtMessage(input({ trigger: 'A02' }))).toThrow(/prior location/);
    expect(() => buildAdtMessage(input({ trigger: 'A03' }))).toThrow(/discharge/);
    expect(() => buildAdtMessage(input({ controlId: 'X'.repeat(21) }))).toThrow(RangeError);
  });
});
