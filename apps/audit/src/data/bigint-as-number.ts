import type { ValueTransformer } from 'typeorm';

/**
 * A bigint column as a JavaScript number (pg hands bigint back as a string). Exact up to 2^53,
 * far beyond any sequence the trail will reach; the hash chain covers `seq` as a number.
 */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
