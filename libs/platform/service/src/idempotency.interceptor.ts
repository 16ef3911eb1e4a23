import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { Observable, catchError, from, mergeMap, of } from 'rxjs';
import { DomainError } from '@hms/contracts-common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

/**
 * Creates that a client may retry take an `Idempotency-Key`. The key is claimed before the work
 * runs, so two concurrent retries cannot both run it; a finished request's response is replayed.
 * A request interrupted after it claimed the key answers 409 until the key expires, rather than
 * risk doing the work twice.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly db: Database) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & { caller?: Caller }>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.header('idempotency-key');
    if (req.method !== 'POST' || key === undefined || !req.caller) return next.handle();
    if (!KEY.test(key)) {
      throw new DomainError('validation', 'idempotency-key-invalid', 'Idempotency-Key must be 8 to 128 letters, digits or . _ : -');
    }
    const caller = req.caller;
    const path = req.originalUrl.split('?')[0];
    const hash = createHash('sha256').update(JSON.stringify(req.body ?? null)).digest('hex');
    const scope = { branchId: caller.branchId };
    return from(
      this.db.transaction(scope, async (tx) => {
        await tx.query(`DELETE FROM idempotency_keys WHERE user_id = $1 AND branch_id = $2 AND key = $3 AND created_at < now() - interval '24 hours'`, [
          caller.userId,
          caller.branchId,
          key,
        ]);
        const claimed = await tx.query(
          `INSERT INTO idempotency_keys (user_id, branch_id, key, method, path, request_hash) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT DO NOTHING RETURNING 1`,
          [caller.userId, caller.branchId, key, req.method, path, hash],
        );
        if (claimed.length) return null;
        return tx.one<{ path: string; request_hash: string; status: number | null; response: unknown }>(
          'SELECT path, request_hash, status, response FROM idempotency_keys WHERE user_id = $1 AND branch_id = $2 AND key = $3',
          [caller.userId, caller.branchId, key],
        );
      }),
    ).pipe(
      mergeMap((existing) => {
        if (existing) {
          if (existing.path !== path || existing.request_hash !== hash) {
            throw new DomainError('unprocessable', 'idempotency-key-reused', 'This Idempotency-Key was used for a different request');
          }
          if (existing.status === null) {
            throw new DomainError('conflict', 'idempotency-key-in-progress', 'A request with this Idempotency-Key is in progress or was interrupted; retry later');
          }
          res.status(existing.status);
          res.setHeader('idempotent-replayed', 'true');
          return of(existing.response);
        }
        return next.handle().pipe(
          mergeMap((body) =>
            from(
              this.db
                .query(scope, 'UPDATE idempotency_keys SET status = $4, response = $5, completed_at = now() WHERE user_id = $1 AND branch_id = $2 AND key = $3', [
                  caller.userId,
                  caller.branchId,
                  key,
                  res.statusCode,
                  JSON.stringify(body ?? null),
                ])
                .then(() => body),
            ),
          ),
          // The work failed and its transaction rolled back: free the key so a corrected retry can run.
          catchError((error: unknown) =>
            from(
              this.db.query(scope, 'DELETE FROM idempotency_keys WHERE user_id = $1 AND branch_id = $2 AND key = $3 AND status IS NULL', [
                caller.userId,
                caller.branchId,
                key,
              ]),
            ).pipe(
              mergeMap(() => {
                throw error;
              }),
            ),
          ),
        );
      }),
    );
  }
}
