import { BranchCreated, UserCreated } from '@hms/contracts-gateway';
import type { Outbox } from '@hms/platform-messaging';
import { uuidv7, type Database } from '@hms/platform-persistence';
import type { Logger } from '@hms/platform-observability';
import { seedRoles } from './identity-admin.service';
import { hashPassword } from './password';

export interface FirstStartSettings {
  adminEmail: string;
  adminPassword: string;
  branchCode: string;
  branchName: string;
}

/**
 * Keeps built-in roles current and, on the very first start (no users yet), creates one branch
 * and an administrator from HMS_ADMIN_EMAIL / HMS_ADMIN_PASSWORD. Later starts change nothing.
 */
export async function firstStart(db: Database, outbox: Outbox, settings: FirstStartSettings, logger: Logger): Promise<void> {
  const hash = await hashPassword(settings.adminPassword);
  await db.transaction('all', async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('hms-gateway-first-start'))`);
    await seedRoles(tx);
    const [{ users }] = await tx.query<{ users: string }>('SELECT count(*) AS users FROM users');
    if (Number(users) > 0) return;
    const branchId = uuidv7();
    const userId = uuidv7();
    const email = settings.adminEmail.trim().toLowerCase();
    await tx.query('INSERT INTO branches (id, code, name) VALUES ($1, $2, $3)', [branchId, settings.branchCode, settings.branchName]);
    await tx.query('INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)', [userId, email, 'Administrator', hash]);
    await tx.query(`INSERT INTO memberships (user_id, branch_id, role) VALUES ($1, $2, 'admin')`, [userId, branchId]);
    const actor = { type: 'system' as const, id: 'gateway' };
    await outbox.append(tx, BranchCreated, { branchId, code: settings.branchCode, name: settings.branchName, active: true }, { key: branchId, branchId, actor });
    await outbox.append(tx, UserCreated, { userId, email, active: true, memberships: [{ branchId, roles: ['admin'] }] }, { key: userId, branchId, actor });
    logger.info({ branch: settings.branchCode }, 'first start: created the first branch and the administrator account');
  });
}
