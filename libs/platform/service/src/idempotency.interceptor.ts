import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { Observable, from, lastValueFrom } from 'rxjs';
import { DomainError } from '@hms/contracts-common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

interface StoredKey {
  path: string;
  request_hash: string;
  status: number;
  response: unknown;
}

/** Thrown inside the unit of work when the key was already used: ends it without running the work. */
class KeyAlreadyUsed extends Error {
  constructor(readonly stored: StoredKey) {
    super('idempotency key already used');
  }
}

/**
 * Creates that a client may retry take an `Idempotency-Key`. The request runs as one unit of
 * work (`Database.unitOfWork`): the key is claimed right after BEGIN and its response stored just
 * before COMMIT, in the same transaction as every change the request makes. So a retry either
 * finds the stored response and replays it, or (the first attempt failed, or its process died
 * before committing) finds no key and runs afresh. A concurrent retry waits on the first one's
 * claim (the key's primary key) and then replays its answer; it never runs the work twice.
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
    const ids = [caller.userId, caller.branchId, key];
    const run = this.db
      .unitOfWork({ branchId: caller.branchId }, () => lastValueFrom(next.handle(), { defaultValue: undefined }), {
        begin: async (tx) => {
          // Expired keys go; so does a claim without a response, which only an older version of
          // this interceptor could have committed (it claimed keys in a transaction of their own).
          await tx.query(
            `DELETE FROM idempotency_keys WHERE user_id = $1 AND branch_id = $2 AND key = $3 AND (created_at < now() - interval '24 hours' OR status IS NULL)`,
            ids,
          );
          // Waits while another request holding this key is still running; afterwards the key
          // is either stored (that request committed) or free (it rolled back).
          const claimed = await tx.query(
            `INSERT INTO idempotency_keys (user_id, branch_id, key, method, path, request_hash) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT DO NOTHING RETURNING 1`,
            [...ids, req.method, path, hash],
          );
          if (claimed.length) return;
          const stored = await tx.one<StoredKey>('SELECT path, request_hash, status, response FROM idempotency_keys WHERE user_id = $1 AND branch_id = $2 AND key = $3', ids);
          throw new KeyAlreadyUsed(stored);
        },
        beforeCommit: async (tx, body) => {
          await tx.query('UPDATE idempotency_keys SET status = $4, response = $5, completed_at = now() WHERE user_id = $1 AND branch_id = $2 AND key = $3', [
            ...ids,
            res.statusCode,
            JSON.stringify(body ?? null),
          ]);
        },
      })
      .catch((error: unknown) => {
        if (!(error instanceof KeyAlreadyUsed)) throw error;
        const { stored } = error;
        if (stored.path !== path || stored.request_hash !== hash) {
          throw new DomainError('unprocessable', 'idempotency-key-reused', 'This Idempotency-Key was used for a different request');
        }
        res.status(stored.status);
        res.setHeader('idempotent-replayed', 'true');
        return stored.response;
      });
    return from(run);
  }
}
