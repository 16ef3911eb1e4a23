import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainError } from '@hms/contracts-common';
import { UserSignedIn } from '@hms/contracts-gateway';
import { AnyBranch, CurrentClaims, Public, RequirePermissions, type AccessClaims } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import { CONFIG } from '@hms/platform-service';
import type { SecurityStores } from '../security/stores';
import { LoginDto, LogoutDto, RefreshDto, TokenPairDto } from './dto';
import { identityQueries } from './identity.repository';
import { DUMMY_HASH, verifyPassword } from './password';
import { TokenService } from './token.service';
import { SECURITY_STORES } from './tokens';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly db: Database,
    private readonly tokens: TokenService,
    private readonly outbox: Outbox,
    @Inject(SECURITY_STORES) private readonly stores: SecurityStores,
    @Inject(CONFIG) private readonly config: { LOGIN_RATE_LIMIT: number },
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiOkResponse({ type: TokenPairDto })
  async login(@Body() body: LoginDto, @Req() req: Request): Promise<TokenPairDto> {
    const email = body.email.trim().toLowerCase();
    const limit = await this.stores.rateLimiter.hit(`login:${email}:${req.ip ?? ''}`, this.config.LOGIN_RATE_LIMIT, 60);
    if (!limit.allowed) {
      req.res?.setHeader('retry-after', String(limit.retryAfterSeconds));
      throw new DomainError('too-many-requests', 'login-rate-limited', `Too many sign-in attempts; try again in ${limit.retryAfterSeconds} s`);
    }
    const denied = new DomainError('unauthenticated', 'login-failed', 'The email or password is wrong, or the account is locked or inactive');
    const result = await this.db.transaction('all', async (tx) => {
      const user = await identityQueries.userByEmail(tx, email);
      const ok = await verifyPassword(body.password, user?.password_hash ?? DUMMY_HASH);
      if (!user) return null;
      const locked = user.locked_until !== null && user.locked_until.getTime() > Date.now();
      const success = ok && user.active && !locked;
      if (success) await identityQueries.recordSuccess(tx, user.id);
      else if (!locked) await identityQueries.recordFailure(tx, user.id);
      await this.outbox.append(tx, UserSignedIn, { userId: user.id, outcome: success ? 'success' : 'failure' }, {
        key: user.id,
        branchId: null,
        actor: { type: success ? 'user' : 'system', id: success ? user.id : 'gateway' },
        correlationId: (req as Request & { correlationId?: string }).correlationId,
      });
      return success ? this.tokens.issue(tx, user) : null;
    });
    if (!result) throw denied;
    return result;
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a refresh token for a new pair (the old one stops working)' })
  @ApiOkResponse({ type: TokenPairDto })
  refresh(@Body() body: RefreshDto): Promise<TokenPairDto> {
    return this.tokens.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @RequirePermissions()
  @AnyBranch()
  @ApiOperation({ summary: 'Sign out: revoke this access token and, if given, the refresh token family' })
  async logout(@Body() body: LogoutDto, @CurrentClaims() claims: AccessClaims): Promise<void> {
    await this.tokens.revoke(claims.jti, claims.exp, claims.sub, body.refreshToken);
  }

  @Get('me')
  @ApiBearerAuth()
  @RequirePermissions()
  @AnyBranch()
  @ApiOperation({ summary: 'Who am I, and what may I do in which branch' })
  me(@CurrentClaims() claims: AccessClaims) {
    return { id: claims.sub, email: claims.email, name: claims.name, branches: claims.branches };
  }
}
