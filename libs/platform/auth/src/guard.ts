import { ExecutionContext, Injectable, SetMetadata, createParamDecorator, type CanActivate, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import type { Permission, PlatformPermission } from '@hms/contracts-common';
import { assertPermissions, assertPlatformPermissions, resolveCaller, type AccessClaims, type Caller } from './claims';
import { tokenFailure } from './jwt.strategy';

const PUBLIC = 'hms:public';
const PERMISSIONS = 'hms:permissions';
const PLATFORM_PERMISSIONS = 'hms:platform-permissions';

/** Marks a route that needs no token: health, metrics, docs, sign-in. */
export const Public = () => SetMetadata(PUBLIC, true);

const ANY_BRANCH = 'hms:any-branch';

/** A route that needs a signed-in user but acts in no particular branch (who am I, sign out). */
export const AnyBranch = () => SetMetadata(ANY_BRANCH, true);

/** The permissions a route needs in the caller's branch. */
export const RequirePermissions = (...permissions: Permission[]) => SetMetadata(PERMISSIONS, permissions);

/**
 * Platform permissions a route needs besides (or, with `@AnyBranch()` and no branch permission,
 * instead of) branch ones: changing what every branch's users may do.
 */
export const RequirePlatformPermissions = (...permissions: PlatformPermission[]) => SetMetadata(PLATFORM_PERMISSIONS, permissions);

type RequestWithCaller = Request & { caller?: Caller; claims?: AccessClaims; correlationId?: string };

/** Injects the authenticated caller of the request. */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<RequestWithCaller>().caller;
  if (!caller) throw new Error('CurrentCaller used on a public route');
  return caller;
});

/**
 * Every route is authenticated unless marked @Public(): the passport JWT strategy named `strategy`
 * checks the token and the session state; then the branch is resolved and the route's declared
 * permissions checked there. A route without @RequirePermissions is refused, so forgetting to
 * declare a permission fails closed.
 */
export function accessGuard(strategy: string): Type<CanActivate> {
  @Injectable()
  class AccessGuard extends PassportAuthGuard(strategy) {
    constructor(private readonly reflector: Reflector) {
      super();
    }

    override async canActivate(context: ExecutionContext): Promise<boolean> {
      // Event handlers are reached through the event bus only, never by a caller with a token.
      if (context.getType() !== 'http') return true;
      const targets = [context.getHandler(), context.getClass()];
      if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
      await super.canActivate(context);
      const req = context.switchToHttp().getRequest<RequestWithCaller>();
      const claims = req.user as AccessClaims;
      const anyBranch = this.reflector.getAllAndOverride<boolean>(ANY_BRANCH, targets);
      const branch = req.header('x-branch-id') ?? (anyBranch && claims.branches.length ? (claims.homeBranchId ?? claims.branches[0].id) : undefined);
      const caller = anyBranch && !claims.branches.length ? noBranchCaller(claims, req.correlationId ?? null) : resolveCaller(claims, branch, req.correlationId ?? null);
      const required = this.reflector.getAllAndOverride<Permission[] | undefined>(PERMISSIONS, targets);
      const platform = this.reflector.getAllAndOverride<PlatformPermission[] | undefined>(PLATFORM_PERMISSIONS, targets);
      if (!required && !platform) throw new Error(`route ${req.method} ${req.route?.path ?? req.path} declares no permissions`);
      assertPermissions(caller, required ?? []);
      assertPlatformPermissions(caller, platform ?? []);
      req.caller = caller;
      req.claims = claims;
      return true;
    }

    override handleRequest<T>(err: unknown, user: T | false, info: unknown, context: ExecutionContext): T {
      if (err || !user) throw tokenFailure(err, info, context.switchToHttp().getRequest<Request>().headers.authorization);
      return user;
    }
  }
  return AccessGuard;
}

/** Injects the verified token claims (all branches), for routes that look beyond the acting branch. */
export const CurrentClaims = createParamDecorator((_: unknown, ctx: ExecutionContext): AccessClaims => {
  const claims = ctx.switchToHttp().getRequest<RequestWithCaller>().claims;
  if (!claims) throw new Error('CurrentClaims used on a public route');
  return claims;
});

function noBranchCaller(claims: AccessClaims, correlationId: string | null): Caller {
  return {
    userId: claims.sub,
    email: claims.email,
    name: claims.name,
    branchId: '',
    branchCode: '',
    permissions: new Set(),
    platformPermissions: new Set(claims.platform),
    tokenId: claims.jti,
    correlationId,
  };
}
