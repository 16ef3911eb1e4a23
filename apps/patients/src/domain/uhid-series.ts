/** The branch's UHID settings as shown: before the first registration the branch code is the prefix. */
export function uhidSettingsOf(series: { prefix: string; nextValue: number } | null, branchCode: string): { prefix: string; nextValue: number; locked: boolean } {
  const nextValue = series?.nextValue ?? 1;
  return { prefix: series?.prefix ?? branchCode, nextValue, locked: nextValue > 1 };
}

/** UHIDs are permanent: the prefix can change only while no UHID was issued with it. */
export function prefixLocked(series: { nextValue: number } | null): boolean {
  return series !== null && series.nextValue > 1;
}
