import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { Tx } from '@hms/platform-persistence';
import { MembershipEntity } from './membership.entity';

/** A user's roles in one branch. */
export interface Membership {
  branchId: string;
  roles: string[];
}

/** A branch the user is active in, with their roles there and the union of those roles' permissions. */
export interface Grant {
  id: string;
  code: string;
  roles: string[];
  permissions: string[];
}

/** Who holds which roles in which branch (table `memberships`). */
@Injectable()
export class MembershipsRepository {
  /** A user's memberships by branch (branches and roles in order). */
  async ofUser(tx: Tx, userId: string): Promise<Membership[]> {
    return (await this.ofUsers(tx, [userId])).get(userId) ?? [];
  }

  /** The memberships of several users, by user. */
  async ofUsers(tx: Tx, userIds: string[]): Promise<Map<string, Membership[]>> {
    const byUser = new Map<string, Membership[]>();
    if (!userIds.length) return byUser;
    const rows = await tx.manager.find(MembershipEntity, { where: { userId: In(userIds) }, order: { userId: 'ASC', branchId: 'ASC', role: 'ASC' } });
    for (const row of rows) {
      const list = byUser.get(row.userId) ?? [];
      const last = list[list.length - 1];
      if (last && last.branchId === row.branchId) last.roles.push(row.role);
      else list.push({ branchId: row.branchId, roles: [row.role] });
      byUser.set(row.userId, list);
    }
    return byUser;
  }

  async add(tx: Tx, userId: string, branchId: string, role: string): Promise<void> {
    await tx.manager.insert(MembershipEntity, { userId, branchId, role });
  }

  /** Replaces the user's roles in each branch named; other branches keep theirs. */
  async replace(tx: Tx, userId: string, memberships: Membership[]): Promise<void> {
    for (const m of memberships) {
      await tx.manager.delete(MembershipEntity, { userId, branchId: m.branchId });
      await tx.manager
        .createQueryBuilder()
        .insert()
        .into(MembershipEntity)
        .values(m.roles.map((role) => ({ userId, branchId: m.branchId, role })))
        .orIgnore()
        .execute();
    }
  }

  /** The user's active branches with their roles and permissions there (what an access token carries). */
  grants(tx: Tx, userId: string): Promise<Grant[]> {
    return tx.query<Grant>(
      `SELECT b.id, b.code, array_agg(DISTINCT m.role ORDER BY m.role) AS roles,
              coalesce(array_agg(DISTINCT p ORDER BY p) FILTER (WHERE p IS NOT NULL), '{}') AS permissions
       FROM memberships m
       JOIN branches b ON b.id = m.branch_id AND b.active
       JOIN roles r ON r.name = m.role
       LEFT JOIN LATERAL unnest(r.permissions) AS p ON true
       WHERE m.user_id = $1
       GROUP BY b.id, b.code ORDER BY b.code`,
      [userId],
    );
  }
}
