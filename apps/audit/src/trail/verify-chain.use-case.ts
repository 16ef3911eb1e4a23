import { Injectable } from '@nestjs/common';
import type { AuditVerification } from '@hms/contracts-audit';
import type { Caller } from '@hms/platform-auth';
import { Database, type BranchScope } from '@hms/platform-persistence';
import { scopeOf } from '@hms/platform-service';
import { AuditTrailRepository } from '../data/audit-trail.repository';
import { GENESIS, checkRun, type ChainHead, type ChainLink } from '../domain/hash-chain';

/** Entries read and checked at a time. */
const VERIFY_BATCH = 5000;

/**
 * Walks the whole chain in order and reports the first entry that does not hold. The chain is
 * one for every branch, so a break anywhere makes it invalid for all; what a branch's auditor is
 * told beyond that is their branch's: how many of its entries were checked, and which entry broke
 * only if it is one of theirs. A platform auditor (platform:audit) gets every figure.
 */
@Injectable()
export class VerifyChainUseCase {
  constructor(
    private readonly db: Database,
    private readonly trail: AuditTrailRepository,
  ) {}

  execute(caller: Caller): Promise<AuditVerification> {
    const scope: BranchScope = caller.platformPermissions.has('platform:audit') ? 'all' : scopeOf(caller);
    const theirs = (link: ChainLink | undefined) => scope === 'all' || (link !== undefined && link.branchId === scope.branchId);
    // The chain spans every branch, so it is read as a whole, in one snapshot.
    return this.db.transaction(
      'all',
      async (tx) => {
        let previous: ChainHead = GENESIS;
        let checked = 0;
        for (;;) {
          const links = await this.trail.linksAfter(tx, previous.seq, VERIFY_BATCH);
          if (!links.length) break;
          const { last, problem } = checkRun(previous, links);
          if (problem) {
            const bad = links.findIndex((link) => link.id === problem.id);
            checked += links.slice(0, bad).filter(theirs).length;
            return theirs(links[bad] as ChainLink | undefined)
              ? { valid: false, checked, firstInvalidId: problem.id, reason: problem.reason }
              : { valid: false, checked, reason: 'the chain breaks at an entry of another branch (a platform auditor sees which)' };
          }
          checked += links.filter(theirs).length;
          previous = last;
        }
        const head = await this.trail.head(tx);
        if (head.seq !== previous.seq || head.hash !== previous.hash) {
          return { valid: false, checked, reason: `the chain should end at entry ${head.seq} but ends at ${previous.seq}: newest entries were removed` };
        }
        return { valid: true, checked };
      },
      { isolation: 'repeatable read', readOnly: true },
    );
  }
}
