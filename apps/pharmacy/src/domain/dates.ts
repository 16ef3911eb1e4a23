/** Today's date in India, the date that expiry and tariffs are judged by. */
export function indianDate(instant: Date): string {
  return new Date(instant.getTime() + 5.5 * 3600_000).toISOString().slice(0, 10);
}

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
