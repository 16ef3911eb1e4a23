import { BranchCreated, UserCreated } from '@hms/contracts-gateway';
import type { Outbox } from '@hms/platform-messaging';
import { ConfigError } from '@hms/platform-config';
import { uuidv7, type Database } from '@hms/platform-persistence';
import type { Logger } from '@hms/platform-observability';
import { syncAccess } from './access-sync';
import { seedRoles } from './identity-admin.service';
import { hashPassword, passwordProblem } from './password';

export interface FirstStartSettings {
  adminEmail: string;
  /** Required on the very first start; there is no default password. */
  adminPassword: string | undefined;
  branchCode: string;
  branchName: string;
}

/**
 * Keeps built-in roles current and everyone's live access in step with the identity tables, and,
 * on the very first start (no users yet), creates one branch and an administrator (who also
 * administers the platform) from HMS_ADMIN_EMAIL / HMS_ADMIN_PASSWORD. Later starts create nothing.
 */
export async function firstStart(db: Database, outbox: Outbox, settings: FirstStartSettings, logger: Logger): Promise<void> {
  await db.transaction('all', async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('hms-gateway-first-start'))`);
    await seedRoles(tx);
    const [{ users }] = await tx.query<{ users: string }>('SELECT count(*) AS users FROM users');
    if (Number(users) === 0) {
      const password = settings.adminPassword;
      if (!password) throw new ConfigError(['HMS_ADMIN_PASSWORD is required on the first start (no users exist yet): it is the first administrator’s password']);
      const problem = passwordProblem(password);
      if (problem) throw new ConfigError([`HMS_ADMIN_PASSWORD ${problem}`]);
      const branchId = uuidv7();
      const userId = uuidv7();
      const email = settings.adminEmail.trim().toLowerCase();
      await tx.query('INSERT INTO branches (id, code, name) VALUES ($1, $2, $3)', [branchId, settings.branchCode, settings.branchName]);
      await tx.query(`INSERT INTO users (id, email, name, password_hash, platform_roles, home_branch_id) VALUES ($1, $2, $3, $4, '{platform-admin}', $5)`, [
        userId,
        email,
        'Administrator',
        await hashPassword(password),
        branchId,
      ]);
      await tx.query(`INSERT INTO memberships (user_id, branch_id, role) VALUES ($1, $2, 'admin')`, [userId, branchId]);
      const actor = { type: 'system' as const, id: 'gateway' };
      await outbox.append(tx, BranchCreated, { branchId, code: settings.branchCode, name: settings.branchName, active: true }, { key: branchId, branchId, actor });
      await outbox.append(tx, UserCreated, { userId, email, active: true, memberships: [{ branchId, roles: ['admin'] }], platformRoles: ['platform-admin'], homeBranchId: branchId }, { key: userId, branchId, actor });
      logger.info({ branch: settings.branchCode }, 'first start: created the first branch and the administrator account');
    }
    // Built-in roles may have changed, and an older version kept no live access: rewrite it all.
    await syncAccess(tx, 'all');
  });
}
