import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@hms/platform-auth';
import { Database } from '@hms/platform-persistence';
import { CLOCK, Clock, ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { ItemsRepository } from '../data/items.repository';
import { indianDate } from '../domain';
import { assertGstRate, readItem, unique, type ItemView } from './catalogue-rules';
import { scopeOf } from '@hms/platform-service';

export interface ItemInput {
  code: string;
  kind: 'drug' | 'consumable';
  genericName: string;
  brandName?: string;
  form: string;
  strength?: string;
  unit: string;
  packSize: number;
  hsn: string;
  schedule: string;
  gstRateBp: number;
  gstEffectiveFrom: string;
}

/** Adds a drug or consumable to the item master, with its GST rate from a date. */
@Injectable()
export class CreateItemUseCase {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly items: ItemsRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute(caller: Caller, input: ItemInput): Promise<ItemView> {
    assertGstRate(input.gstRateBp, input.gstEffectiveFrom, 'gstRateBp');
    return unique(`An item with code ${input.code} exists already`, () =>
      this.db.transaction(scopeOf(caller), async (tx) => {
        const id = this.ids.next();
        await this.items.insert(tx, {
          id,
          branchId: caller.branchId,
          code: input.code,
          kind: input.kind,
          genericName: input.genericName,
          brandName: input.brandName ?? null,
          form: input.form,
          strength: input.strength ?? null,
          unit: input.unit,
          packSize: input.packSize,
          hsn: input.hsn,
          schedule: input.schedule,
        });
        await this.items.insertGstRate(tx, { id: this.ids.next(), branchId: caller.branchId, itemId: id, effectiveFrom: input.gstEffectiveFrom, rateBp: input.gstRateBp });
        return readItem(this.items, tx, id, indianDate(this.clock.now()));
      }),
    );
  }
}
