/** SQLSTATE codes the services react to. */
export const PG = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  notNullViolation: '23502',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
  insufficientPrivilege: '42501',
  invalidTextRepresentation: '22P02',
} as const;

export function pgCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

export function pgConstraint(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'constraint' in error ? String((error as { constraint: unknown }).constraint) : undefined;
}

/** Retries `work` when Postgres reports a serialization failure or deadlock. */
export async function retryOnConflict<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (error) {
      const code = pgCode(error);
      if (i >= attempts || (code !== PG.serializationFailure && code !== PG.deadlockDetected)) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * i));
    }
  }
}

/** Runs `work`; a unique-constraint violation becomes the error `toError` makes (usually a 409). */
export async function onUniqueViolation<T>(work: () => Promise<T>, toError: (constraint: string | undefined) => Error): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (pgCode(error) === PG.uniqueViolation) throw toError(pgConstraint(error));
    throw error;
  }
}
