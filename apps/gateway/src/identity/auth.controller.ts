import { Body, Controller, Get, Header, HttpCode, Inject, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainError } from '@hms/contracts-common';
import { PasswordChanged, UserSignedIn } from '@hms/contracts-gateway';
import { AnyBranch, CurrentClaims, Public, RequirePermissions, type AccessClaims } from '@hms/platform-auth';
import { Outbox } from '@hms/platform-messaging';
import { Database } from '@hms/platform-persistence';
import { LoginThrottle } from '../security/login-throttle';
import { ChangePasswordDto, HomeBranchDto, LoginDto, LogoutDto, RefreshDto, TokenPairDto } from './dto';
import { IdentityAdminService } from './identity-admin.service';
import { identityQueries, type UserRow } from './identity.repository';
import { hashPassword, passwordProblem, verifyPassword } from './password';
import { SignInGuard } from './sign-in.strategy';
import { TokenService } from './token.service';

type RequestWithCorrelation = Request & { correlationId?: string };

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly db: Database,
    private readonly tokens: TokenService,
    private readonly outbox: Outbox,
    private readonly identity: IdentityAdminService,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(SignInGuard)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiOkResponse({ type: TokenPairDto })
  async login(@Body() _body: LoginDto, @Req() req: RequestWithCorrelation & { user: UserRow }): Promise<TokenPairDto> {
    // The sign-in strategy checked the password (and the throttle); this opens the session.
    const user = req.user;
    return this.db.transaction('all', async (tx) => {
      await this.outbox.append(tx, UserSignedIn, { userId: user.id, outcome: 'success' }, {
        key: user.id,
        branchId: null,
        actor: { type: 'user', id: user.id },
        correlationId: req.correlationId,
      });
      return this.tokens.start(tx, user);
    });
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
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
  @ApiOperation({ summary: 'Sign out: revoke this access token and, if given, the refresh token’s whole session' })
  async logout(@Body() body: LogoutDto, @CurrentClaims() claims: AccessClaims): Promise<void> {
    await this.tokens.signOut(claims.jti, claims.exp, claims.sub, body.refreshToken);
  }

  @Post('password')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiBearerAuth()
  @RequirePermissions()
  @AnyBranch()
  @ApiOperation({ summary: 'Change your own password: every session ends (on every device) and a new one starts' })
  @ApiOkResponse({ type: TokenPairDto })
  async changePassword(@Body() body: ChangePasswordDto, @CurrentClaims() claims: AccessClaims, @Req() req: RequestWithCorrelation): Promise<TokenPairDto> {
    const problem = passwordProblem(body.newPassword);
    if (problem) throw new DomainError('validation', 'validation-failed', `newPassword ${problem}`, {}, [{ field: 'newPassword', message: problem }]);
    if (body.newPassword === body.currentPassword) {
      throw new DomainError('validation', 'validation-failed', 'newPassword must differ from the current one', {}, [{ field: 'newPassword', message: 'must differ from the current password' }]);
    }
    const address = req.ip ?? '';
    await this.throttle.assertAllowed(claims.email, address);
    const hash = await hashPassword(body.newPassword);
    const pair = await this.db.transaction('all', async (tx) => {
      const user = await identityQueries.userById(tx, claims.sub);
      if (!user || !(await verifyPassword(body.currentPassword, user.password_hash))) return null;
      await tx.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [user.id, hash]);
      await this.tokens.endAllSessions(tx, user.id);
      await this.outbox.append(tx, PasswordChanged, { userId: user.id, by: 'self' }, {
        key: user.id,
        branchId: null,
        actor: { type: 'user', id: user.id, name: user.name },
        correlationId: req.correlationId,
      });
      return this.tokens.start(tx, { ...user, password_hash: hash });
    });
    if (!pair) {
      await this.throttle.failed(claims.email, address);
      throw new DomainError('validation', 'current-password-wrong', 'currentPassword is not your current password', {}, [{ field: 'currentPassword', message: 'is not your current password' }]);
    }
    return pair;
  }

  @Get('me')
  @ApiBearerAuth()
  @RequirePermissions()
  @AnyBranch()
  @ApiOperation({ summary: 'Who am I, and what may I do in which branch (as it stands now)' })
  me(@CurrentClaims() claims: AccessClaims) {
    return { id: claims.sub, email: claims.email, name: claims.name, branches: claims.branches, platform: claims.platform, homeBranchId: claims.homeBranchId };
  }

  @Patch('me')
  @ApiBearerAuth()
  @RequirePermissions()
  @AnyBranch()
  @ApiOperation({ summary: 'Choose your home branch: where your requests act when they name no X-Branch-Id' })
  setHome(@Body() body: HomeBranchDto, @CurrentClaims() claims: AccessClaims) {
    return this.identity.setHomeBranch(claims, body.homeBranchId.toLowerCase());
  }
}
