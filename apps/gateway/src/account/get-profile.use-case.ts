import { Injectable } from '@nestjs/common';
import type { AccessClaims } from '@hms/platform-auth';

/** Who the caller is, and what they may do in which branch, as their live access stands now (no database work). */
@Injectable()
export class GetProfileUseCase {
  execute(claims: AccessClaims) {
    return { id: claims.sub, email: claims.email, name: claims.name, branches: claims.branches, platform: claims.platform, homeBranchId: claims.homeBranchId };
  }
}
