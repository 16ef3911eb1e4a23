import { Injectable, OnModuleInit } from '@nestjs/common';
import { BranchCreated, BranchUpdated, type BranchChangedData } from '@hms/contracts-gateway';
import { EventConsumer } from '@hms/platform-messaging';
import type { Tx } from '@hms/platform-persistence';

/**
 * The branches this service acts for, as the gateway's identity events describe them: an HL7
 * message names its sender by branch code, which no admission event carries.
 */
@Injectable()
export class BranchesReadModel implements OnModuleInit {
  constructor(private readonly consumer: EventConsumer) {}

  onModuleInit(): void {
    this.consumer.on(BranchCreated.type, (e, tx) => this.upsert(tx, e.data as BranchChangedData));
    this.consumer.on(BranchUpdated.type, (e, tx) => this.upsert(tx, e.data as BranchChangedData));
  }

  /** Events of one branch share a key and so arrive in order: the last one wins. */
  private async upsert(tx: Tx, b: BranchChangedData): Promise<void> {
    await tx.query(
      `INSERT INTO branches (branch_id, code, name, active, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (branch_id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, active = EXCLUDED.active, updated_at = now()`,
      [b.branchId, b.code, b.name, b.active],
    );
  }
}
