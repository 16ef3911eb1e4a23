import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { PERMISSIONS, PLATFORM_ROLES } from '@hms/contracts-common';
import { IsNotBlank, IsOmittable, IsPersonName, PageOf, PageQuery } from '@hms/platform-http';

const PLATFORM_ROLE_NAMES = Object.keys(PLATFORM_ROLES);

/** GET /api/v1/admin/branches: a page of branches by code. */
export class ListBranchesQuery extends PageQuery {}

/** GET /api/v1/admin/users: a page of the acting branch's users by email. */
export class ListUsersQuery extends PageQuery {}

/** GET /api/v1/admin/roles: a page of roles by name. */
export class ListRolesQuery extends PageQuery {}

export class CreateBranchDto {
  @ApiProperty({ example: 'PUNE', description: '2–8 capital letters or digits; also the default UHID prefix' })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9]{1,7}$/, { message: 'code must be 2–8 capital letters or digits, starting with a letter' })
  code!: string;

  @ApiProperty({ example: 'Pune Hospital' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name!: string;
}

export class UpdateBranchDto {
  @ApiPropertyOptional() @IsOmittable() @IsString() @IsNotBlank() @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() active?: boolean;
}

export class MembershipDto {
  @ApiProperty() @IsUUID() branchId!: string;

  @ApiProperty({ type: [String], example: ['front-desk'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  roles!: string[];
}

export class CreateUserDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email!: string;
  @ApiProperty() @IsString() @IsPersonName() @MaxLength(200) name!: string;
  @ApiProperty() @IsString() @MaxLength(200) password!: string;

  @ApiProperty({ type: [MembershipDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => MembershipDto)
  memberships!: MembershipDto[];

  @ApiPropertyOptional({ type: [String], enum: PLATFORM_ROLE_NAMES, description: 'Platform roles (needs platform:manage)' })
  @IsOmittable()
  @IsArray()
  @IsIn(PLATFORM_ROLE_NAMES, { each: true })
  platformRoles?: string[];

  @ApiPropertyOptional({ description: 'The branch the user acts in when naming none; default: the first membership' })
  @IsOptional()
  @IsUUID()
  homeBranchId?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOmittable() @IsString() @IsPersonName() @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsString() @MaxLength(200) password?: string;

  @ApiPropertyOptional({ type: [String], enum: PLATFORM_ROLE_NAMES, description: 'Replaces the platform roles (needs platform:manage)' })
  @IsOmittable()
  @IsArray()
  @IsIn(PLATFORM_ROLE_NAMES, { each: true })
  platformRoles?: string[];

  @ApiPropertyOptional({ description: 'One of the user’s branches; null: none (the user then names a branch in each request)', nullable: true })
  @IsOptional()
  @IsUUID()
  homeBranchId?: string | null;

  @ApiPropertyOptional({ type: [MembershipDto], description: 'Replaces the memberships in the branches named' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => MembershipDto)
  memberships?: MembershipDto[];
}

export class RoleDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;

  @ApiProperty({ type: [String], enum: PERMISSIONS })
  @IsArray()
  @ArrayMaxSize(PERMISSIONS.length)
  @IsIn(PERMISSIONS, { each: true })
  permissions!: string[];
}

/** A branch as the administration API answers it. */
export class GatewayBranch {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'PUNE', description: 'Unique; also the default UHID prefix' }) code!: string;
  @ApiProperty({ example: 'Pune Hospital' }) name!: string;
  @ApiProperty({ description: 'False once the branch is taken out of service: its memberships then grant nothing' }) active!: boolean;
}

/** GET /api/v1/admin/branches: a page of branches by code. */
export const GatewayBranchPage = PageOf(GatewayBranch);

/** A user's roles in one branch. */
export class GatewayMembership {
  @ApiProperty({ format: 'uuid' }) branchId!: string;
  @ApiProperty({ type: [String], example: ['front-desk'], description: 'Role names, in order' }) roles!: string[];
}

/** A user as the administration API answers it. */
export class GatewayUser {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'asha@hms.local' }) email!: string;
  @ApiProperty({ example: 'Asha Rao' }) name!: string;
  @ApiProperty() active!: boolean;

  @ApiProperty({ type: [GatewayMembership], description: 'By branch; only those in branches you manage (all, with platform:manage)' })
  memberships!: GatewayMembership[];

  @ApiProperty({ type: [String], enum: PLATFORM_ROLE_NAMES, description: 'Platform roles, not tied to a branch' })
  platformRoles!: string[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The branch the user acts in when naming none; null: none' })
  homeBranchId!: string | null;
}

/** GET /api/v1/admin/users: a page of the acting branch's users by email. */
export const GatewayUserPage = PageOf(GatewayUser);

/** A role (the same in every branch) and the branch permissions it holds. */
export class GatewayRole {
  @ApiProperty({ example: 'front-desk' }) name!: string;
  @ApiProperty({ description: 'Empty when none was given' }) description!: string;
  @ApiProperty({ type: [String], enum: PERMISSIONS, description: 'Each once, in order' }) permissions!: string[];
  @ApiProperty({ description: 'Seeded by the platform (admin, doctor, …)' }) builtIn!: boolean;
}

/** GET /api/v1/admin/roles: a page of roles by name. */
export const GatewayRolePage = PageOf(GatewayRole);
