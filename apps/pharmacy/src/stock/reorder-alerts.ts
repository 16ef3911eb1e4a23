import { Injectable } from '@nestjs/common';
import { ReorderNeeded } from '@hms/contracts-pharmacy';
import { Outbox, type AppendMeta } from '@hms/platform-messaging';
import type { Tx } from '@hms/platform-persistence';
import { StoresRepository } from '../data/stores.repository';
import { crossesReorderLevel } from '../domain';

/**
 * ReorderNeeded for each item whose usable stock in the store a movement takes from at or above
 * its reorder level to below it (once per crossing, not on every issue below the level). Shared by
 * every operation that takes stock away: dispensing, transfers, adjustments, returns to supplier.
 */
@Injectable()
export class ReorderAlerts {
  constructor(
    private readonly stores: StoresRepository,
    private readonly outbox: Outbox,
  ) {}

  async raise(tx: Tx, storeId: string, checks: readonly { itemId: string; before: number; after: number }[], meta: Omit<AppendMeta, 'key'>): Promise<void> {
    if (!checks.length) return;
    const levels = await this.stores.reorderLevels(
      tx,
      storeId,
      checks.map((c) => c.itemId),
    );
    for (const c of checks) {
      const level = levels.find((l) => l.itemId === c.itemId);
      if (level && crossesReorderLevel(c.before, c.after, level.reorderLevel)) {
        await this.outbox.append(
          tx,
          ReorderNeeded,
          { storeId, itemId: c.itemId, itemName: level.name, onHand: c.after, reorderLevel: level.reorderLevel, reorderQuantity: level.reorderQuantity },
          { ...meta, key: c.itemId },
        );
      }
    }
  }
}
