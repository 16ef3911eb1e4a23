import { ValidateBy, ValidateIf, buildMessage, type ValidationOptions } from 'class-validator';

/** The earliest and latest calendar dates any field of the platform accepts. */
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2199-12-31';

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether `value` is a real calendar date written `YYYY-MM-DD` between 1900 and 2199: no
 * 30 February, no year 0 (which PostgreSQL refuses), nothing a person could mean by mistake.
 */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_SHAPE.test(value)) return false;
  if (value < EARLIEST_DATE || value > LATEST_DATE) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Bidirectional embedding, override and isolate controls: they let one name display as another. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

/** Whether a string has something besides white space (a name of only spaces is no name). */
export function isNotBlank(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

export function hasBidiControls(value: string): boolean {
  return BIDI_CONTROLS.test(value);
}

/** A real calendar date `YYYY-MM-DD` (1900–2199). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value) => isCalendarDate(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a real date written YYYY-MM-DD, from ${EARLIEST_DATE} to ${LATEST_DATE}`, options),
      },
    },
    options,
  );
}

/** A string with something besides white space. */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotBlank',
      validator: {
        validate: (value) => isNotBlank(value),
        defaultMessage: buildMessage((each) => `${each}$property must not be empty or only spaces`, options),
      },
    },
    options,
  );
}

/**
 * A person's name as written (any script): not blank, and free of bidirectional controls that
 * would let it display as a different name.
 */
export function IsPersonName(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPersonName',
      validator: {
        validate: (value) => isNotBlank(value) && !hasBidiControls(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a name: not empty or only spaces, and without bidirectional control characters (U+202A–U+202E, U+2066–U+2069)`,
          options,
        ),
      },
    },
    options,
  );
}

/**
 * A field that may be left out but, when sent, must be valid: `null` is checked like any value
 * (and refused by the field's other rules), unlike class-validator's IsOptional, which lets null
 * through to code that does not expect it.
 */
export function IsOmittable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined, options);
}
