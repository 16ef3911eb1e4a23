import { Injectable } from '@nestjs/common';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { RolesRepository, type Role } from '../data/roles.repository';

/** Roles and the branch permissions each holds, by name. */
@Injectable()
export class ListRolesUseCase {
  constructor(
    private readonly db: Database,
    private readonly roles: RolesRepository,
  ) {}

  async execute(page: PageRequest): Promise<Page<Role>> {
    return toPage(await this.db.transaction('all', (tx) => this.roles.list(tx, page)), page);
  }
}
