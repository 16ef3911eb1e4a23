import { createHash } from 'node:crypto';

/** Advisory lock keys, one per (store, item), sorted and distinct: 64 bits of a SHA-256 under a pharmacy prefix. */
export function stockLockKeys(storeIds: readonly string[], itemIds: readonly string[]): string[] {
  const keys = new Set<bigint>();
  for (const store of storeIds) {
    for (const item of itemIds) {
      keys.add(BigInt.asIntN(64, BigInt('0x' + createHash('sha256').update(`hms-pharmacy-stock:${store.toLowerCase()}:${item.toLowerCase()}`).digest('hex').slice(0, 16))));
    }
  }
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
}
