import { Injectable } from '@nestjs/common';
import type { AccessClaims } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { UsersRepository } from '../data/users.repository';
import { UserChanges } from '../users/user-changes';
import { gatewayError } from '../domain/errors';

/** A user's own setting: the branch their requests act in when they name none. */
@Injectable()
export class SetHomeBranchUseCase {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly changes: UserChanges,
  ) {}

  async execute(claims: AccessClaims, homeBranchId: string): Promise<{ homeBranchId: string }> {
    if (!claims.branches.some((b) => b.id === homeBranchId)) {
      throw gatewayError('validation', 'validation-failed', 'homeBranchId must be one of your branches', {}, [{ field: 'homeBranchId', message: 'must be one of your branches' }]);
    }
    await this.db.transaction('all', async (tx) => {
      await this.users.setHomeBranch(tx, claims.sub, homeBranchId);
      await this.changes.changed(tx, claims, claims.sub);
    });
    return { homeBranchId };
  }
}
