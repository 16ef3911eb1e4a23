import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PERMISSIONS, PLATFORM_PERMISSIONS } from '@hms/contracts-common';

export class LoginDto {
  @ApiProperty({ example: 'admin@hms.local' })
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Admin-Pass-2026!' })
  @IsString()
  @MaxLength(200)
  password!: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @MaxLength(200)
  refreshToken!: string;
}

export class LogoutDto {
  @ApiPropertyOptional({ description: 'Also end the refresh token family of this session' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  refreshToken?: string;
}

export class ChangePasswordDto {
  @ApiProperty({ description: 'The password in use now' })
  @IsString()
  @MaxLength(200)
  currentPassword!: string;

  @ApiProperty({ description: 'At least 10 characters, mixing letters with digits or symbols' })
  @IsString()
  @MaxLength(200)
  newPassword!: string;
}

export class HomeBranchDto {
  @ApiProperty({ description: 'The branch your requests act in when they name none (one of yours)' })
  @IsUUID()
  homeBranchId!: string;
}

/** What a sign-in, a refresh or a password change answers: a new access and refresh token. */
export class TokenPairDto {
  @ApiProperty({ description: 'A signed JWT: send it as `Authorization: Bearer <accessToken>`' }) accessToken!: string;
  @ApiProperty({ example: 'rt_…', description: 'Single-use: exchange it at /api/v1/auth/refresh for the next pair' }) refreshToken!: string;
  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ type: 'integer', example: 900, description: 'Seconds until the access token expires' }) expiresIn!: number;
  @ApiProperty({ type: 'integer', description: 'Seconds until the refresh token expires (never after the session ends)' }) refreshExpiresIn!: number;
}

/** A branch you are active in, with your roles there and the permissions they give, as it stands now. */
export class GatewayBranchAccess {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'PUNE' }) code!: string;
  @ApiProperty({ type: [String], example: ['front-desk'] }) roles!: string[];
  @ApiProperty({ type: [String], enum: PERMISSIONS, description: 'The union of your roles’ permissions there' }) permissions!: string[];
}

/** GET /api/v1/auth/me: who you are, and what you may do in which branch. */
export class GatewayProfile {
  @ApiProperty({ description: 'Your user id' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [GatewayBranchAccess] }) branches!: GatewayBranchAccess[];
  @ApiProperty({ type: [String], enum: PLATFORM_PERMISSIONS, description: 'Platform permissions (not tied to a branch)' }) platform!: string[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Where your requests act when they name no X-Branch-Id; null: none' }) homeBranchId!: string | null;
}

/** PATCH /api/v1/auth/me: the home branch now set. */
export class GatewayHomeBranch {
  @ApiProperty({ format: 'uuid' }) homeBranchId!: string;
}
