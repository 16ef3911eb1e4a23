import { Injectable } from '@nestjs/common';
import type { Tx } from '@hms/platform-persistence';
import { StockReturnEntity } from './stock-return.entity';

/** Returns of stock, a patient's or to a supplier (`stock_returns`); quantities are in the ledger. */
@Injectable()
export class StockReturnsRepository {
  async insert(tx: Tx, r: StockReturnEntity): Promise<void> {
    await tx.manager.insert(StockReturnEntity, r);
  }
}
