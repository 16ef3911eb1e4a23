import { Injectable } from '@nestjs/common';
import type { AccessClaims } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { BranchesRepository, type Branch } from '../data/branches.repository';
import { isPlatformAdmin } from '../domain/administration';

/** The branches the caller belongs to (every branch, with platform:manage), by code. */
@Injectable()
export class ListBranchesUseCase {
  constructor(
    private readonly db: Database,
    private readonly branches: BranchesRepository,
  ) {}

  async execute(claims: AccessClaims, page: PageRequest): Promise<Page<Branch>> {
    const only = isPlatformAdmin(claims) ? null : claims.branches.map((b) => b.id);
    const rows = await this.db.transaction('all', (tx) => this.branches.list(tx, only, page));
    return toPage(rows, page);
  }
}
