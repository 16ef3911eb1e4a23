/** Today's date in India, the date that expiry and tariffs are judged by. */
export function indianDate(instant: Date): string {
  return new Date(instant.getTime() + 5.5 * 3600_000).toISOString().slice(0, 10);
}
