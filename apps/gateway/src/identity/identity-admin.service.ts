import { Injectable } from '@nestjs/common';
import { BUILT_IN_ROLES, DomainError, PERMISSIONS, conflict, notFound, type EventActor } from '@hms/contracts-common';
import { BranchCreated, BranchUpdated, UserCreated, UserUpdated, type UserChangedData } from '@hms/contracts-gateway';
import type { AccessClaims } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database, PG, pgCode, uuidv7, type Tx } from '@hms/platform-persistence';
import type { BranchRow } from './identity.repository';
import { hashPassword, passwordProblem } from './password';

export interface MembershipInput {
  branchId: string;
  roles: string[];
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  active: boolean;
  memberships: { branchId: string; roles: string[] }[];
}

const actorOf = (claims: AccessClaims): EventActor => ({ type: 'user', id: claims.sub, name: claims.name });

/** Administration of branches, users, memberships and roles. Every change is an event for the audit trail. */
@Injectable()
export class IdentityAdminService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
  ) {}

  /** Branches the caller may manage: those where they hold identity:manage. */
  managedBranches(claims: AccessClaims): Set<string> {
    return new Set(claims.branches.filter((b) => b.permissions.includes('identity:manage')).map((b) => b.id));
  }

  async listBranches(claims: AccessClaims): Promise<BranchRow[]> {
    const ids = claims.branches.map((b) => b.id);
    return this.db.query<BranchRow>('all', 'SELECT id, code, name, active FROM branches WHERE id = ANY($1) ORDER BY code', [ids]);
  }

  async createBranch(claims: AccessClaims, code: string, name: string): Promise<BranchRow> {
    if (!this.managedBranches(claims).size) throw new DomainError('forbidden', 'permission-missing', 'Creating a branch needs identity:manage in a branch you belong to');
    try {
      return await this.db.transaction('all', async (tx) => {
        const branch = await tx.one<BranchRow>('INSERT INTO branches (id, code, name) VALUES ($1, $2, $3) RETURNING id, code, name, active', [uuidv7(), code, name]);
        // The creator administers the branch they created.
        await tx.query(`INSERT INTO memberships (user_id, branch_id, role) VALUES ($1, $2, 'admin')`, [claims.sub, branch.id]);
        await this.outbox.append(tx, BranchCreated, { branchId: branch.id, code, name, active: true }, { key: branch.id, branchId: branch.id, actor: actorOf(claims) });
        return branch;
      });
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation) throw conflict('branch-code-taken', `A branch with code ${code} exists already`);
      throw error;
    }
  }

  async updateBranch(claims: AccessClaims, id: string, patch: { name?: string; active?: boolean }): Promise<BranchRow> {
    if (!this.managedBranches(claims).has(id)) throw new DomainError('forbidden', 'permission-missing', 'You do not manage this branch');
    return this.db.transaction('all', async (tx) => {
      const branch = await tx.maybeOne<BranchRow>(
        `UPDATE branches SET name = coalesce($2, name), active = coalesce($3, active), updated_at = now() WHERE id = $1 RETURNING id, code, name, active`,
        [id, patch.name ?? null, patch.active ?? null],
      );
      if (!branch) throw notFound('The branch');
      await this.outbox.append(tx, BranchUpdated, { branchId: id, code: branch.code, name: branch.name, active: branch.active }, { key: id, branchId: id, actor: actorOf(claims) });
      return branch;
    });
  }

  async listUsers(claims: AccessClaims, branchId: string, limit: number, offset: number): Promise<UserView[]> {
    if (!this.managedBranches(claims).has(branchId)) throw new DomainError('forbidden', 'permission-missing', 'You do not manage this branch');
    return this.db.transaction('all', async (tx) => {
      const users = await tx.query<{ id: string; email: string; name: string; active: boolean }>(
        `SELECT u.id, u.email, u.name, u.active FROM users u
         WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.branch_id = $1)
         ORDER BY lower(u.email) LIMIT $2 OFFSET $3`,
        [branchId, limit, offset],
      );
      return Promise.all(users.map(async (u) => ({ ...u, memberships: await this.memberships(tx, u.id, this.managedBranches(claims)) })));
    });
  }

  async createUser(claims: AccessClaims, input: { email: string; name: string; password: string; memberships: MembershipInput[] }): Promise<UserView> {
    const problem = passwordProblem(input.password);
    if (problem) throw new DomainError('validation', 'validation-failed', `password ${problem}`, {}, [{ field: 'password', message: problem }]);
    this.assertManages(claims, input.memberships);
    const hash = await hashPassword(input.password);
    try {
      return await this.db.transaction('all', async (tx) => {
        await this.assertRoles(tx, input.memberships);
        const id = uuidv7();
        await tx.query('INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)', [id, input.email.trim().toLowerCase(), input.name, hash]);
        await this.replaceMemberships(tx, id, input.memberships);
        const view = { id, email: input.email.trim().toLowerCase(), name: input.name, active: true, memberships: await this.memberships(tx, id, null) };
        await this.outbox.append(tx, UserCreated, this.userEvent(view), { key: id, branchId: input.memberships[0]?.branchId ?? null, actor: actorOf(claims) });
        return view;
      });
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation) throw conflict('email-taken', 'A user with this email exists already');
      throw error;
    }
  }

  async updateUser(claims: AccessClaims, id: string, patch: { name?: string; active?: boolean; password?: string; memberships?: MembershipInput[] }): Promise<UserView> {
    if (patch.password !== undefined) {
      const problem = passwordProblem(patch.password);
      if (problem) throw new DomainError('validation', 'validation-failed', `password ${problem}`, {}, [{ field: 'password', message: problem }]);
    }
    if (patch.memberships) this.assertManages(claims, patch.memberships);
    const hash = patch.password !== undefined ? await hashPassword(patch.password) : null;
    return this.db.transaction('all', async (tx) => {
      const current = await this.memberships(tx, id, null);
      const managed = this.managedBranches(claims);
      if (!current.some((m) => managed.has(m.branchId))) throw notFound('The user');
      // The account itself (name, password, active) belongs to every branch the user works in:
      // only someone who manages all of them may change it, or one branch's admin could take
      // over another branch's user.
      const accountFields = patch.name !== undefined || patch.active !== undefined || hash !== null;
      if (accountFields && !current.every((m) => managed.has(m.branchId))) {
        throw new DomainError('forbidden', 'user-in-other-branches', 'This user also works in branches you do not manage; only memberships in your branches can change');
      }
      if (patch.memberships) await this.assertRoles(tx, patch.memberships);
      const row = await tx.maybeOne<{ id: string; email: string; name: string; active: boolean }>(
        `UPDATE users SET name = coalesce($2, name), active = coalesce($3, active), password_hash = coalesce($4, password_hash),
                failed_logins = CASE WHEN $4::text IS NULL THEN failed_logins ELSE 0 END,
                locked_until = CASE WHEN $4::text IS NULL THEN locked_until ELSE NULL END, updated_at = now()
         WHERE id = $1 RETURNING id, email, name, active`,
        [id, patch.name ?? null, patch.active ?? null, hash],
      );
      if (!row) throw notFound('The user');
      if (patch.memberships) await this.replaceMemberships(tx, id, patch.memberships);
      if (patch.active === false || hash) await tx.query('UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE user_id = $1', [id]);
      const all = await this.memberships(tx, id, null);
      await this.outbox.append(tx, UserUpdated, this.userEvent({ ...row, memberships: all }), { key: id, branchId: null, actor: actorOf(claims) });
      return { ...row, memberships: all.filter((m) => managed.has(m.branchId)) };
    });
  }

  async listRoles() {
    return this.db.query<{ name: string; description: string; permissions: string[]; built_in: boolean }>(
      'all',
      'SELECT name, description, permissions, built_in FROM roles ORDER BY name',
    );
  }

  async putRole(claims: AccessClaims, name: string, description: string | undefined, permissions: string[]) {
    if (!/^[a-z][a-z0-9-]{1,39}$/.test(name)) throw new DomainError('validation', 'validation-failed', 'A role name is 2–40 lower-case letters, digits or hyphens');
    if (!this.managedBranches(claims).size) throw new DomainError('forbidden', 'permission-missing', 'Changing roles needs identity:manage');
    if (name === 'admin') throw conflict('role-protected', 'The admin role always holds every permission');
    const unknown = permissions.filter((p) => !(PERMISSIONS as readonly string[]).includes(p));
    if (unknown.length) throw new DomainError('validation', 'validation-failed', `Unknown permissions: ${unknown.join(', ')}`);
    return this.db.transaction('all', (tx) =>
      tx.one(
      `INSERT INTO roles (name, description, permissions) VALUES ($1, coalesce($2, ''), $3)
       ON CONFLICT (name) DO UPDATE SET description = coalesce($2, roles.description), permissions = $3, updated_at = now()
       RETURNING name, description, permissions, built_in`,
      [name, description ?? null, [...new Set(permissions)].sort()],
    ),
    );
  }

  private assertManages(claims: AccessClaims, memberships: MembershipInput[]): void {
    const managed = this.managedBranches(claims);
    const outside = memberships.filter((m) => !managed.has(m.branchId));
    if (outside.length) throw new DomainError('forbidden', 'permission-missing', `You do not manage branch ${outside[0].branchId}`);
  }

  private async assertRoles(tx: Tx, memberships: MembershipInput[]): Promise<void> {
    const names = [...new Set(memberships.flatMap((m) => m.roles))];
    const known = new Set((await tx.query<{ name: string }>('SELECT name FROM roles WHERE name = ANY($1)', [names])).map((r) => r.name));
    const missing = names.filter((n) => !known.has(n));
    if (missing.length) throw new DomainError('validation', 'validation-failed', `Unknown roles: ${missing.join(', ')}`, {}, [{ field: 'memberships', message: `unknown roles ${missing.join(', ')}` }]);
    const branches = [...new Set(memberships.map((m) => m.branchId))];
    const found = await tx.query('SELECT id FROM branches WHERE id = ANY($1)', [branches]);
    if (found.length !== branches.length) throw new DomainError('validation', 'validation-failed', 'A membership names a branch that does not exist');
  }

  private async replaceMemberships(tx: Tx, userId: string, memberships: MembershipInput[]): Promise<void> {
    for (const m of memberships) {
      await tx.query('DELETE FROM memberships WHERE user_id = $1 AND branch_id = $2', [userId, m.branchId]);
      await tx.query('INSERT INTO memberships (user_id, branch_id, role) SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING', [userId, m.branchId, m.roles]);
    }
  }

  private async memberships(tx: Tx, userId: string, only: Set<string> | null) {
    const rows = await tx.query<{ branch_id: string; roles: string[] }>(
      'SELECT branch_id, array_agg(role ORDER BY role) AS roles FROM memberships WHERE user_id = $1 GROUP BY branch_id ORDER BY branch_id',
      [userId],
    );
    return rows.filter((r) => !only || only.has(r.branch_id)).map((r) => ({ branchId: r.branch_id, roles: r.roles }));
  }

  private userEvent(view: UserView): UserChangedData {
    return { userId: view.id, email: view.email, active: view.active, memberships: view.memberships };
  }
}

/** Built-in roles are kept current at every start; the admin role always holds every permission. */
export async function seedRoles(tx: Tx): Promise<void> {
  for (const [name, permissions] of Object.entries(BUILT_IN_ROLES)) {
    await tx.query(
      `INSERT INTO roles (name, description, permissions, built_in) VALUES ($1, $2, $3, true)
       ON CONFLICT (name) DO UPDATE SET permissions = CASE WHEN roles.name = 'admin' THEN EXCLUDED.permissions ELSE roles.permissions END`,
      [name, `Built-in ${name} role`, [...permissions]],
    );
  }
}
