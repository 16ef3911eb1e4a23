/** An item as people read it: brand (generic) strength, or generic strength. */
export function displayName(item: { genericName: string; brandName: string | null; strength: string | null }): string {
  return [item.brandName ? `${item.brandName} (${item.genericName})` : item.genericName, item.strength].filter(Boolean).join(' ');
}
