import { Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { SuppliersRepository } from '../data/suppliers.repository';
import { supplierView, type SupplierView } from './catalogue-rules';
import { scopeOf } from '@hms/platform-service';
import { notFound } from '../domain/errors';

/** One supplier; its version is the ETag. */
@Injectable()
export class GetSupplierUseCase {
  constructor(
    private readonly db: Database,
    private readonly suppliers: SuppliersRepository,
  ) {}

  execute(caller: Caller, supplierId: string): Promise<SupplierView> {
    return this.db.transaction(
      scopeOf(caller),
      async (tx) => {
        const supplier = await this.suppliers.find(tx, supplierId);
        if (!supplier) throw notFound('The supplier', 'supplier-not-found');
        return supplierView(supplier);
      },
      { readOnly: true },
    );
  }
}
