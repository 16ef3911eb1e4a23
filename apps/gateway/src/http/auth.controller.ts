import { Body, Controller, Get, Header, HttpCode, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AnyBranch, CurrentClaims, Public, RequirePermissions, type AccessClaims } from '@hms/platform-auth';
import { ApiProblems } from '@hms/platform-http';
import { ChangePasswordUseCase } from '../account/change-password.use-case';
import { GetProfileUseCase } from '../account/get-profile.use-case';
import { SetHomeBranchUseCase } from '../account/set-home-branch.use-case';
import type { UserEntity } from '../data/user.entity';
import { RefreshTokenUseCase } from '../sign-in/refresh-token.use-case';
import { SignInUseCase } from '../sign-in/sign-in.use-case';
import { SignOutUseCase } from '../sign-in/sign-out.use-case';
import { ChangePasswordDto, GatewayHomeBranch, GatewayProfile, HomeBranchDto, LoginDto, LogoutDto, RefreshDto, TokenPairDto } from './auth.dto';
import { SignInGuard } from './sign-in.strategy';

type RequestWithCorrelation = Request & { correlationId?: string };

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly signIn: SignInUseCase,
    private readonly refreshToken: RefreshTokenUseCase,
    private readonly signOut: SignOutUseCase,
    private readonly changePasswordUseCase: ChangePasswordUseCase,
    private readonly getProfile: GetProfileUseCase,
    private readonly setHomeBranch: SetHomeBranchUseCase,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(SignInGuard)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems({
    400: 'The body is invalid (email or password missing or too long)',
    401: 'The email or password is wrong, or the account is inactive',
    429: 'Too many failed sign-ins: try again after the seconds given (retryAfterSeconds)',
  })
  login(@Body() _body: LoginDto, @Req() req: RequestWithCorrelation & { user: UserEntity }): Promise<TokenPairDto> {
    // The sign-in strategy checked the password (and the throttle); this opens the session.
    return this.signIn.execute(req.user, req.correlationId);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Exchange a refresh token for a new pair (the old one stops working)' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems({
    400: 'The body is invalid (refreshToken missing or too long)',
    401: 'The refresh token is unknown, expired, already used (its whole session then ends) or its user inactive: sign in again',
  })
  refresh(@Body() body: RefreshDto): Promise<TokenPairDto> {
    return this.refreshToken.execute(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @RequirePermissions()
  @AnyBranch()
  @ApiOperation({ summary: 'Sign out: revoke this access token and, if given, the refresh token’s whole session' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiProblems({ 400: 'The body is invalid (refreshToken too long), or X-Branch-Id is not a UUID' })
  async logout(@Body() body: LogoutDto, @CurrentClaims() claims: AccessClaims): Promise<void> {
    await this.signOut.execute({ id: claims.jti, expiresAt: claims.exp, userId: claims.sub }, body.refreshToken);
  }

  @Post('password')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiBearerAuth()
  @RequirePermissions()
  @AnyBranch()
  @ApiOperation({ summary: 'Change your own password: every session ends (on every device) and a new one starts' })
  @ApiOkResponse({ type: TokenPairDto, description: 'The new session’s tokens' })
  @ApiProblems({
    400: 'The body is invalid: currentPassword is wrong, or newPassword is too weak or the same as the current one',
    429: 'Too many wrong current passwords: try again after the seconds given (retryAfterSeconds)',
  })
  changePassword(@Body() body: ChangePasswordDto, @CurrentClaims() claims: AccessClaims, @Req() req: RequestWithCorrelation): Promise<TokenPairDto> {
    return this.changePasswordUseCase.execute(claims, { currentPassword: body.currentPassword, newPassword: body.newPassword, address: req.ip ?? '', correlationId: req.correlationId });
  }

  @Get('me')
  @ApiBearerAuth()
  @RequirePermissions()
  @AnyBranch()
  @ApiOperation({ summary: 'Who am I, and what may I do in which branch (as it stands now)' })
  @ApiOkResponse({ type: GatewayProfile })
  @ApiProblems({ 400: 'X-Branch-Id is not a UUID' })
  me(@CurrentClaims() claims: AccessClaims) {
    return this.getProfile.execute(claims);
  }

  @Patch('me')
  @ApiBearerAuth()
  @RequirePermissions()
  @AnyBranch()
  @ApiOperation({ summary: 'Choose your home branch: where your requests act when they name no X-Branch-Id' })
  @ApiOkResponse({ type: GatewayHomeBranch })
  @ApiProblems({ 400: 'homeBranchId is not a UUID or not one of your branches' })
  setHome(@Body() body: HomeBranchDto, @CurrentClaims() claims: AccessClaims) {
    return this.setHomeBranch.execute(claims, body.homeBranchId.toLowerCase());
  }
}
