import { Injectable } from '@nestjs/common';
import { BUILT_IN_ROLES, DomainError, PERMISSIONS, conflict, isPlatformRole, notFound, type EventActor } from '@hms/contracts-common';
import { BranchCreated, BranchUpdated, PasswordChanged, RoleChanged, UserCreated, UserUpdated, type UserChangedData } from '@hms/contracts-gateway';
import type { AccessClaims } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database, PG, pgCode, uuidv7, type Tx } from '@hms/platform-persistence';
import { syncAccess } from './access-sync';
import type { BranchRow } from './identity.repository';
import { hashPassword, passwordProblem } from './password';
import { TokenService } from './token.service';

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
  platformRoles: string[];
  homeBranchId: string | null;
}

export interface RoleView {
  name: string;
  description: string;
  permissions: string[];
  builtIn: boolean;
}

const actorOf = (claims: AccessClaims): EventActor => ({ type: 'user', id: claims.sub, name: claims.name });
const isPlatformAdmin = (claims: AccessClaims) => claims.platform.includes('platform:manage');

interface UserRecord {
  id: string;
  email: string;
  name: string;
  active: boolean;
  platform_roles: string[];
  home_branch_id: string | null;
}

/**
 * Administration of branches, users, memberships and roles. A branch's admin (identity:manage
 * there) manages memberships in that branch; what applies to every branch (role definitions,
 * new branches, platform roles, accounts that work in branches they do not manage) needs the
 * platform permission platform:manage, which no branch role can hold. Every change is an event
 * for the audit trail, and rewrites the live access of the users it touches in the same
 * transaction, so it applies at once on every port.
 */
@Injectable()
export class IdentityAdminService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly tokens: TokenService,
  ) {}

  /** Branches the caller may manage: those where they hold identity:manage. */
  managedBranches(claims: AccessClaims): Set<string> {
    return new Set(claims.branches.filter((b) => b.permissions.includes('identity:manage')).map((b) => b.id));
  }

  async listBranches(claims: AccessClaims): Promise<BranchRow[]> {
    if (isPlatformAdmin(claims)) return this.db.query<BranchRow>('all', 'SELECT id, code, name, active FROM branches ORDER BY code');
    const ids = claims.branches.map((b) => b.id);
    return this.db.query<BranchRow>('all', 'SELECT id, code, name, active FROM branches WHERE id = ANY($1) ORDER BY code', [ids]);
  }

  /** A new branch (platform:manage); its creator administers it at once, without signing in again. */
  async createBranch(claims: AccessClaims, code: string, name: string): Promise<BranchRow> {
    try {
      return await this.db.transaction('all', async (tx) => {
        const branch = await tx.one<BranchRow>('INSERT INTO branches (id, code, name) VALUES ($1, $2, $3) RETURNING id, code, name, active', [uuidv7(), code, name.trim()]);
        await tx.query(`INSERT INTO memberships (user_id, branch_id, role) VALUES ($1, $2, 'admin')`, [claims.sub, branch.id]);
        await tx.query('UPDATE users SET home_branch_id = coalesce(home_branch_id, $2) WHERE id = $1', [claims.sub, branch.id]);
        await this.outbox.append(tx, BranchCreated, { branchId: branch.id, code, name: branch.name, active: true }, { key: branch.id, branchId: branch.id, actor: actorOf(claims) });
        await this.userChanged(tx, claims, claims.sub);
        return branch;
      });
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation) throw conflict('branch-code-taken', `A branch with code ${code} exists already`);
      throw error;
    }
  }

  async updateBranch(claims: AccessClaims, id: string, patch: { name?: string; active?: boolean }): Promise<BranchRow> {
    if (!this.managedBranches(claims).has(id) && !isPlatformAdmin(claims)) throw new DomainError('forbidden', 'permission-missing', 'You do not manage this branch');
    return this.db.transaction('all', async (tx) => {
      const branch = await tx.maybeOne<BranchRow>(
        `UPDATE branches SET name = coalesce($2, name), active = coalesce($3, active), updated_at = now() WHERE id = $1 RETURNING id, code, name, active`,
        [id, patch.name?.trim() ?? null, patch.active ?? null],
      );
      if (!branch) throw notFound('The branch');
      await this.outbox.append(tx, BranchUpdated, { branchId: id, code: branch.code, name: branch.name, active: branch.active }, { key: id, branchId: id, actor: actorOf(claims) });
      // A branch taken out of service takes its grants with it, for everyone, at once.
      if (patch.active !== undefined) await syncAccess(tx, { branch: id });
      return branch;
    });
  }

  async listUsers(claims: AccessClaims, branchId: string, limit: number, offset: number): Promise<UserView[]> {
    if (!this.managedBranches(claims).has(branchId)) throw new DomainError('forbidden', 'permission-missing', 'You do not manage this branch');
    return this.db.transaction('all', async (tx) => {
      const users = await tx.query<UserRecord>(
        `SELECT u.id, u.email, u.name, u.active, u.platform_roles, u.home_branch_id FROM users u
         WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.branch_id = $1)
         ORDER BY lower(u.email), u.id LIMIT $2 OFFSET $3`,
        [branchId, limit, offset],
      );
      const views: UserView[] = [];
      for (const u of users) views.push(this.view(u, await this.memberships(tx, u.id, this.visibleBranches(claims))));
      return views;
    });
  }

  async createUser(
    claims: AccessClaims,
    input: { email: string; name: string; password: string; memberships: MembershipInput[]; platformRoles?: string[]; homeBranchId?: string },
  ): Promise<UserView> {
    const problem = passwordProblem(input.password);
    if (problem) throw new DomainError('validation', 'validation-failed', `password ${problem}`, {}, [{ field: 'password', message: problem }]);
    this.assertManages(claims, input.memberships);
    this.assertPlatformRoles(claims, input.platformRoles);
    const home = input.homeBranchId ?? input.memberships[0]?.branchId ?? null;
    if (home && !input.memberships.some((m) => m.branchId === home)) {
      throw new DomainError('validation', 'validation-failed', 'homeBranchId must be one of the user’s branches', {}, [{ field: 'homeBranchId', message: 'must be one of the memberships’ branches' }]);
    }
    const hash = await hashPassword(input.password);
    const email = input.email.trim().toLowerCase();
    try {
      return await this.db.transaction('all', async (tx) => {
        await this.assertRoles(tx, input.memberships);
        const id = uuidv7();
        await tx.query('INSERT INTO users (id, email, name, password_hash, platform_roles, home_branch_id) VALUES ($1, $2, $3, $4, $5, $6)', [
          id,
          email,
          input.name.trim(),
          hash,
          [...new Set(input.platformRoles ?? [])].sort(),
          home,
        ]);
        await this.replaceMemberships(tx, id, input.memberships);
        const record = await this.record(tx, id);
        const view = this.view(record, await this.memberships(tx, id, null));
        await this.outbox.append(tx, UserCreated, this.userEvent(view), { key: id, branchId: input.memberships[0]?.branchId ?? null, actor: actorOf(claims) });
        await syncAccess(tx, { users: [id] });
        return view;
      });
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation) throw conflict('email-taken', 'A user with this email exists already');
      throw error;
    }
  }

  async updateUser(
    claims: AccessClaims,
    id: string,
    patch: { name?: string; active?: boolean; password?: string; memberships?: MembershipInput[]; platformRoles?: string[]; homeBranchId?: string | null },
  ): Promise<UserView> {
    if (patch.password !== undefined) {
      const problem = passwordProblem(patch.password);
      if (problem) throw new DomainError('validation', 'validation-failed', `password ${problem}`, {}, [{ field: 'password', message: problem }]);
    }
    if (patch.memberships) this.assertManages(claims, patch.memberships);
    this.assertPlatformRoles(claims, patch.platformRoles);
    const hash = patch.password !== undefined ? await hashPassword(patch.password) : null;
    return this.db.transaction('all', async (tx) => {
      const current = await this.memberships(tx, id, null);
      const managed = this.managedBranches(claims);
      if (!isPlatformAdmin(claims) && !current.some((m) => managed.has(m.branchId))) throw notFound('The user');
      // The account itself (name, password, active, home branch) belongs to every branch the user
      // works in: only someone who manages all of them may change it, or one branch's admin could
      // take over another branch's user.
      const accountFields = patch.name !== undefined || patch.active !== undefined || hash !== null || patch.homeBranchId !== undefined;
      if (accountFields && !isPlatformAdmin(claims) && !current.every((m) => managed.has(m.branchId))) {
        throw new DomainError('forbidden', 'user-in-other-branches', 'This user also works in branches you do not manage; only memberships in your branches can change');
      }
      if (patch.memberships) await this.assertRoles(tx, patch.memberships);
      const row = await tx.maybeOne<{ id: string }>(
        `UPDATE users SET name = coalesce($2, name), active = coalesce($3, active), password_hash = coalesce($4, password_hash),
                platform_roles = coalesce($5, platform_roles), updated_at = now()
         WHERE id = $1 RETURNING id`,
        [id, patch.name?.trim() ?? null, patch.active ?? null, hash, patch.platformRoles ? [...new Set(patch.platformRoles)].sort() : null],
      );
      if (!row) throw notFound('The user');
      if (patch.memberships) await this.replaceMemberships(tx, id, patch.memberships);
      const all = await this.memberships(tx, id, null);
      if (patch.homeBranchId !== undefined) {
        if (patch.homeBranchId !== null && !all.some((m) => m.branchId === patch.homeBranchId)) {
          throw new DomainError('validation', 'validation-failed', 'homeBranchId must be one of the user’s branches', {}, [{ field: 'homeBranchId', message: 'must be one of the user’s branches' }]);
        }
        await tx.query('UPDATE users SET home_branch_id = $2 WHERE id = $1', [id, patch.homeBranchId]);
      } else {
        // A home branch the user no longer belongs to falls back to one they do.
        await tx.query(
          `UPDATE users SET home_branch_id = (SELECT branch_id FROM memberships WHERE user_id = $1 ORDER BY branch_id LIMIT 1)
           WHERE id = $1 AND (home_branch_id IS NULL OR home_branch_id NOT IN (SELECT branch_id FROM memberships WHERE user_id = $1))`,
          [id],
        );
      }
      if (patch.active === false || hash) await this.tokens.endAllSessions(tx, id);
      if (hash) await this.outbox.append(tx, PasswordChanged, { userId: id, by: 'administrator' }, { key: id, branchId: null, actor: actorOf(claims) });
      const view = await this.userChanged(tx, claims, id);
      return { ...view, memberships: view.memberships.filter((m) => isPlatformAdmin(claims) || managed.has(m.branchId)) };
    });
  }

  async listRoles(): Promise<RoleView[]> {
    const rows = await this.db.query<{ name: string; description: string; permissions: string[]; built_in: boolean }>(
      'all',
      'SELECT name, description, permissions, built_in FROM roles ORDER BY name',
    );
    return rows.map((r) => ({ name: r.name, description: r.description, permissions: r.permissions, builtIn: r.built_in }));
  }

  /**
   * Creates or changes a role (platform:manage: a role is the same in every branch). The users
   * holding it get their new permissions at once.
   */
  async putRole(claims: AccessClaims, name: string, description: string | undefined, permissions: string[]): Promise<RoleView> {
    if (!/^[a-z][a-z0-9-]{1,39}$/.test(name)) {
      throw new DomainError('validation', 'validation-failed', 'A role name is 2–40 lower-case letters, digits or hyphens', {}, [{ field: 'name', message: 'must be 2–40 lower-case letters, digits or hyphens' }]);
    }
    if (name === 'admin') throw conflict('role-protected', 'The admin role always holds every permission');
    if (isPlatformRole(name)) throw conflict('role-protected', `${name} is a platform role: it is granted to users, not defined`);
    const unknown = permissions.filter((p) => !(PERMISSIONS as readonly string[]).includes(p));
    if (unknown.length) throw new DomainError('validation', 'validation-failed', `Unknown permissions: ${unknown.join(', ')}`, {}, [{ field: 'permissions', message: `unknown ${unknown.join(', ')}` }]);
    const sorted = [...new Set(permissions)].sort();
    return this.db.transaction('all', async (tx) => {
      const before = await tx.maybeOne<{ permissions: string[] }>('SELECT permissions FROM roles WHERE name = $1 FOR UPDATE', [name]);
      const row = await tx.one<{ name: string; description: string; permissions: string[]; built_in: boolean }>(
        `INSERT INTO roles (name, description, permissions) VALUES ($1, coalesce($2, ''), $3)
         ON CONFLICT (name) DO UPDATE SET description = coalesce($2, roles.description), permissions = $3, updated_at = now()
         RETURNING name, description, permissions, built_in`,
        [name, description?.trim() ?? null, sorted],
      );
      await this.outbox.append(
        tx,
        RoleChanged,
        { name, description: row.description, permissions: row.permissions, previousPermissions: before?.permissions ?? [], created: !before },
        { key: `role:${name}`, branchId: null, actor: actorOf(claims) },
      );
      await syncAccess(tx, { role: name });
      return { name: row.name, description: row.description, permissions: row.permissions, builtIn: row.built_in };
    });
  }

  /** A user's own settings: the branch their requests act in when they name none. */
  async setHomeBranch(claims: AccessClaims, homeBranchId: string): Promise<{ homeBranchId: string }> {
    if (!claims.branches.some((b) => b.id === homeBranchId)) {
      throw new DomainError('validation', 'validation-failed', 'homeBranchId must be one of your branches', {}, [{ field: 'homeBranchId', message: 'must be one of your branches' }]);
    }
    await this.db.transaction('all', async (tx) => {
      await tx.query('UPDATE users SET home_branch_id = $2, updated_at = now() WHERE id = $1', [claims.sub, homeBranchId]);
      await this.userChanged(tx, claims, claims.sub);
    });
    return { homeBranchId };
  }

  /** After any change to a user: the event for the audit trail and the live access, in the same transaction. */
  private async userChanged(tx: Tx, claims: AccessClaims, id: string): Promise<UserView> {
    const view = this.view(await this.record(tx, id), await this.memberships(tx, id, null));
    await this.outbox.append(tx, UserUpdated, this.userEvent(view), { key: id, branchId: null, actor: actorOf(claims) });
    await syncAccess(tx, { users: [id] });
    return view;
  }

  private async record(tx: Tx, id: string): Promise<UserRecord> {
    return tx.one<UserRecord>('SELECT id, email, name, active, platform_roles, home_branch_id FROM users WHERE id = $1', [id]);
  }

  private view(u: UserRecord, memberships: { branchId: string; roles: string[] }[]): UserView {
    return { id: u.id, email: u.email, name: u.name, active: u.active, memberships, platformRoles: u.platform_roles, homeBranchId: u.home_branch_id };
  }

  private visibleBranches(claims: AccessClaims): Set<string> | null {
    return isPlatformAdmin(claims) ? null : this.managedBranches(claims);
  }

  private assertManages(claims: AccessClaims, memberships: MembershipInput[]): void {
    if (isPlatformAdmin(claims)) return;
    const managed = this.managedBranches(claims);
    const outside = memberships.filter((m) => !managed.has(m.branchId));
    if (outside.length) throw new DomainError('forbidden', 'permission-missing', `You do not manage branch ${outside[0].branchId}`);
  }

  private assertPlatformRoles(claims: AccessClaims, roles: string[] | undefined): void {
    if (roles === undefined) return;
    if (!isPlatformAdmin(claims)) throw new DomainError('forbidden', 'permission-missing', 'Granting platform roles needs the platform:manage permission');
    const unknown = roles.filter((r) => !isPlatformRole(r));
    if (unknown.length) {
      throw new DomainError('validation', 'validation-failed', `Unknown platform roles: ${unknown.join(', ')}`, {}, [{ field: 'platformRoles', message: `unknown ${unknown.join(', ')}` }]);
    }
  }

  private async assertRoles(tx: Tx, memberships: MembershipInput[]): Promise<void> {
    const names = [...new Set(memberships.flatMap((m) => m.roles))];
    const known = new Set((await tx.query<{ name: string }>('SELECT name FROM roles WHERE name = ANY($1)', [names])).map((r) => r.name));
    const missing = names.filter((n) => !known.has(n));
    if (missing.length) throw new DomainError('validation', 'validation-failed', `Unknown roles: ${missing.join(', ')}`, {}, [{ field: 'memberships', message: `unknown roles ${missing.join(', ')}` }]);
    const branches = [...new Set(memberships.map((m) => m.branchId))];
    const found = await tx.query('SELECT id FROM branches WHERE id = ANY($1)', [branches]);
    if (found.length !== branches.length) throw new DomainError('validation', 'validation-failed', 'A membership names a branch that does not exist', {}, [{ field: 'memberships', message: 'names a branch that does not exist' }]);
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
    return { userId: view.id, email: view.email, active: view.active, memberships: view.memberships, platformRoles: view.platformRoles, homeBranchId: view.homeBranchId };
  }
}

/** Built-in roles are kept current at every start; the admin role always holds every branch permission. */
export async function seedRoles(tx: Tx): Promise<void> {
  for (const [name, permissions] of Object.entries(BUILT_IN_ROLES)) {
    await tx.query(
      `INSERT INTO roles (name, description, permissions, built_in) VALUES ($1, $2, $3, true)
       ON CONFLICT (name) DO UPDATE SET permissions = CASE WHEN roles.name = 'admin' THEN EXCLUDED.permissions ELSE roles.permissions END`,
      [name, `Built-in ${name} role`, [...permissions]],
    );
  }
}
