import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { CLOCK, Clock } from '@hms/platform-time';
import { SuppliersRepository } from '../data/suppliers.repository';
import { assertChanges, assertVersion, retiredAfter, supplierView, type SupplierView } from './catalogue-rules';
import { scopeOf } from '@hms/platform-service';
import { notFound } from '../domain/errors';

export interface SupplierChanges {
  name?: string;
  active?: boolean;
}

/** Changes a supplier the client saw at `expectedVersion`; a deactivated supplier delivers nothing more. */
@Injectable()
export class UpdateSupplierUseCase {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly suppliers: SuppliersRepository,
  ) {}

  async execute(caller: Caller, supplierId: string, expectedVersion: number, changes: SupplierChanges): Promise<SupplierView> {
    assertChanges(changes);
    return this.db.transaction(scopeOf(caller), async (tx) => {
      const current = await this.suppliers.lockForChange(tx, supplierId);
      if (!current) throw notFound('The supplier', 'supplier-not-found');
      assertVersion('supplier', current.version, expectedVersion);
      await this.suppliers.update(tx, supplierId, {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...retiredAfter(changes.active, current.retiredAt, this.clock.now()),
      });
      const supplier = await this.suppliers.find(tx, supplierId);
      if (!supplier) throw notFound('The supplier', 'supplier-not-found');
      return supplierView(supplier);
    });
  }
}
