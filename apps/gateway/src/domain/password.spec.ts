import { DomainError } from '@hms/contracts-common';
import { assertAcceptablePassword, hashPassword, passwordProblem, verifyPassword } from './password';

describe('passwords', () => {
  it('needs 10 to 200 characters mixing letters with digits or symbols', () => {
    expect(passwordProblem('short-1')).toBe('must be at least 10 characters long');
    expect(passwordProblem('onlyletterswhatsoever')).toBe('must mix letters with digits or symbols');
    expect(passwordProblem('x'.repeat(199) + '1')).toBeNull();
    expect(passwordProblem('x'.repeat(200) + '1')).toBe('must be at most 200 characters long');
    expect(() => assertAcceptablePassword('short', 'newPassword')).toThrow(DomainError);
  });

  it('verifies what it hashed, and nothing else', async () => {
    const hash = await hashPassword('Desk-Pass-2026!');
    expect(await verifyPassword('Desk-Pass-2026!', hash)).toBe(true);
    expect(await verifyPassword('Desk-Pass-2027!', hash)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
  });
});
