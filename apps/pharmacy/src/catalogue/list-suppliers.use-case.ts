import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { toPage, type Page, type PageRequest } from '@hms/platform-http';
import { Database } from '@hms/platform-persistence';
import { SuppliersRepository } from '../data/suppliers.repository';
import { supplierView, type SupplierView } from './catalogue-rules';
import { scopeOf } from '@hms/platform-service';

/** The branch's suppliers by name, a page at a time; the deactivated ones only if asked. */
@Injectable()
export class ListSuppliersUseCase {
  constructor(
    private readonly db: Database,
    private readonly suppliers: SuppliersRepository,
  ) {}

  async execute(caller: Caller, filter: { includeInactive?: boolean }, page: PageRequest): Promise<Page<SupplierView>> {
    const rows = await this.db.transaction(scopeOf(caller), (tx) => this.suppliers.list(tx, filter.includeInactive ?? false, page.limit + 1, page.offset), { readOnly: true });
    return toPage(rows.map(supplierView), page);
  }
}
