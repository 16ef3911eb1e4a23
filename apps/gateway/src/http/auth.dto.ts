import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

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

export class TokenPairDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty() refreshToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: string;
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn!: number;
  @ApiProperty() refreshExpiresIn!: number;
}
