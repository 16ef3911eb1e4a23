import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { PageRequest } from '@hms/platform-http';
import type { Tx } from '@hms/platform-persistence';
import { RoleEntity } from './role.entity';

/** A role as the API shows it. */
export type Role = Pick<RoleEntity, 'name' | 'description' | 'permissions' | 'builtIn'>;

const SHOWN = { name: true, description: true, permissions: true, builtIn: true } as const;

/** Roles and the branch permissions each holds (table `roles`). */
@Injectable()
export class RolesRepository {
  /** Roles by name; one row more than the page (see `toPage`). */
  list(tx: Tx, page: PageRequest): Promise<Role[]> {
    return tx.manager.find(RoleEntity, { select: SHOWN, order: { name: 'ASC' }, take: page.limit + 1, skip: page.offset });
  }

  /** Which of `names` are roles. */
  async existing(tx: Tx, names: string[]): Promise<Set<string>> {
    const rows = await tx.manager.find(RoleEntity, { select: { name: true }, where: { name: In(names) } });
    return new Set(rows.map((r) => r.name));
  }

  /** The role's permissions now, its row locked until the transaction ends; null for a new role. */
  async lockPermissions(tx: Tx, name: string): Promise<string[] | null> {
    const row = await tx.manager.findOne(RoleEntity, { select: { name: true, permissions: true }, where: { name }, lock: { mode: 'pessimistic_write' } });
    return row?.permissions ?? null;
  }

  /** Creates the role or changes its permissions (and its description, when one is given). */
  async put(tx: Tx, name: string, description: string | null, permissions: string[]): Promise<Role> {
    return tx.one<Role>(
      `INSERT INTO roles (name, description, permissions) VALUES ($1, coalesce($2, ''), $3)
       ON CONFLICT (name) DO UPDATE SET description = coalesce($2, roles.description), permissions = $3, updated_at = now()
       RETURNING name, description, permissions, built_in AS "builtIn"`,
      [name, description, permissions],
    );
  }

  /** Keeps a built-in role current: created when missing; the admin role's permissions always rewritten. */
  async seedBuiltIn(tx: Tx, name: string, permissions: string[]): Promise<void> {
    await tx.query(
      `INSERT INTO roles (name, description, permissions, built_in) VALUES ($1, $2, $3, true)
       ON CONFLICT (name) DO UPDATE SET permissions = CASE WHEN roles.name = 'admin' THEN EXCLUDED.permissions ELSE roles.permissions END`,
      [name, `Built-in ${name} role`, permissions],
    );
  }
}
