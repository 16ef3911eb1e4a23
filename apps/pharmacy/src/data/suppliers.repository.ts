import { Injectable } from '@nestjs/common';
import type { Tx } from '@hms/platform-persistence';
import { SupplierEntity } from './supplier.entity';

export type NewSupplier = Pick<SupplierEntity, 'id' | 'branchId' | 'name' | 'gstin' | 'stateCode'>;
export type SupplierColumns = Partial<Pick<SupplierEntity, 'name' | 'retiredAt'>>;

/** Suppliers of a branch (`suppliers`). */
@Injectable()
export class SuppliersRepository {
  async insert(tx: Tx, supplier: NewSupplier): Promise<void> {
    await tx.manager.insert(SupplierEntity, supplier);
  }

  find(tx: Tx, supplierId: string): Promise<SupplierEntity | null> {
    return tx.manager.findOneBy(SupplierEntity, { id: supplierId });
  }

  /** A page of the branch's suppliers by name (the deactivated ones too if asked); `limit` rows at most. */
  list(tx: Tx, includeInactive: boolean, limit: number, offset: number): Promise<SupplierEntity[]> {
    const query = tx.manager.createQueryBuilder(SupplierEntity, 's').orderBy('s.name').addOrderBy('s.id').limit(limit).offset(offset);
    return (includeInactive ? query : query.where('s.retiredAt IS NULL')).getMany();
  }

  /** The supplier's version, the row locked for a change until the transaction ends. */
  lockForChange(tx: Tx, supplierId: string): Promise<{ version: number; retiredAt: Date | null } | null> {
    return tx.maybeOne<{ version: number; retiredAt: Date | null }>('SELECT version, retired_at AS "retiredAt" FROM suppliers WHERE id = $1 FOR UPDATE', [supplierId]);
  }

  /** Sets the given columns and moves the version on. */
  async update(tx: Tx, supplierId: string, columns: SupplierColumns): Promise<void> {
    await tx.manager.update(SupplierEntity, { id: supplierId }, { ...columns, version: () => 'version + 1' });
  }
}
