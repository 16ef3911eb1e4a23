import { Injectable } from '@nestjs/common';
import type { BranchChangedData } from '@hms/contracts-gateway';
import type { Tx } from '@hms/platform-persistence';
import { BranchEntity } from './branches.entity';

/** The branches this service acts for, as the gateway's identity events describe them. */
@Injectable()
export class BranchesRepository {
  /** The last event of a branch wins (events of one branch share a key and arrive in order). */
  async upsert(tx: Tx, b: BranchChangedData): Promise<void> {
    await tx.manager.upsert(BranchEntity, { branchId: b.branchId, code: b.code, name: b.name, active: b.active, updatedAt: () => 'now()' }, ['branchId']);
  }
}
