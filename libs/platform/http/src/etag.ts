import { DomainError } from '@hms/contracts-common';

export const etagOf = (version: number) => `"${version}"`;

/** Reads the version a client saw from `If-Match` (an ETag we issued); required for updates. */
export function versionFromIfMatch(header: string | undefined): number {
  if (!header) {
    throw new DomainError('precondition-required', 'if-match-required', 'Send If-Match with the ETag of the version you are changing');
  }
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(header.trim());
  if (!match) throw new DomainError('validation', 'if-match-invalid', 'If-Match must be an ETag this API issued, such as "3"');
  return Number(match[1]);
}
