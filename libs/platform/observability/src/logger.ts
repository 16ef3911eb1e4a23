import pino, { Logger } from 'pino';
import { currentContext } from './context';

/**
 * Field names that may carry a patient's or a user's personal data. Logs are for operators:
 * these are censored wherever they appear, at any depth we log.
 */
export const PERSONAL_FIELDS = [
  'name',
  'givenName',
  'familyName',
  'phone',
  'email',
  'password',
  'dateOfBirth',
  'ageYears',
  'ageMonths',
  'ageDays',
  'dateOfDeath',
  'guardian',
  'mlcNumber',
  'policeStation',
  'patientName',
  'prescriberName',
  'currentPassword',
  'newPassword',
  'reason',
  'address',
  'abhaNumber',
  'abhaAddress',
  'aadhaar',
  'emergencyContact',
  'accessToken',
  'refreshToken',
  'authorization',
  'cookie',
  'q',
] as const;

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const f of PERSONAL_FIELDS) {
    paths.push(f, `*.${f}`, `*.*.${f}`, `*.*.*.${f}`);
  }
  paths.push('req.headers.authorization', 'req.headers.cookie', 'headers.authorization');
  return paths;
}

export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths(), censor: '[redacted]' },
      mixin() {
        const ctx = currentContext();
        return ctx?.correlationId ? { correlationId: ctx.correlationId } : {};
      },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

export type { Logger };
