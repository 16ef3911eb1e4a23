import type { ValueTransformer } from 'typeorm';

/** A bigint column (paise, ledger ids) as a JavaScript number: pg hands bigint back as text; the values stay far inside 2^53. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
