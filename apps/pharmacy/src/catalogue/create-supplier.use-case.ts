import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { SuppliersRepository } from '../data/suppliers.repository';
import { validateGstin } from '../domain';
import { supplierView, unique, type SupplierView } from './catalogue-rules';
import { scopeOf } from '@hms/platform-service';
import { notFound, pharmacyError } from '../domain/errors';

/** Adds a supplier; the GSTIN is checked (format and check character) and gives the state. */
@Injectable()
export class CreateSupplierUseCase {
  constructor(
    private readonly db: Database,
    private readonly suppliers: SuppliersRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute(caller: Caller, name: string, gstinInput: string): Promise<SupplierView> {
    const gstin = validateGstin(gstinInput);
    if (!gstin.ok) throw pharmacyError('validation', 'validation-failed', `gstin ${gstin.reason}`, {}, [{ field: 'gstin', message: gstin.reason }]);
    return unique(`A supplier with GSTIN ${gstin.gstin} exists already`, () =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const id = this.ids.next();
        await this.suppliers.insert(tx, { id, branchId: caller.branchId, name, gstin: gstin.gstin, stateCode: gstin.stateCode });
        const supplier = await this.suppliers.find(tx, id);
        if (!supplier) throw notFound('The supplier', 'supplier-not-found');
        return supplierView(supplier);
      }),
    );
  }
}
