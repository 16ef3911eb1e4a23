import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyBranch, CurrentCaller, CurrentClaims, RequirePermissions, RequirePlatformPermissions, type AccessClaims, type Caller } from '@hms/platform-auth';
import { pageRequest, ApiPaging } from '@hms/platform-http';
import { CreateBranchDto, CreateUserDto, RoleDto, UpdateBranchDto, UpdateUserDto } from './dto';
import { IdentityAdminService } from './identity-admin.service';

const uuid = new ParseUUIDPipe({ version: undefined });

@ApiTags('administration')
@ApiBearerAuth()
@Controller('api/v1/admin')
export class AdminController {
  constructor(private readonly identity: IdentityAdminService) {}

  @Get('branches')
  @RequirePermissions('identity:manage')
  @ApiOperation({ summary: 'Branches you belong to (every branch, with platform:manage)' })
  async branches(@CurrentClaims() claims: AccessClaims) {
    return { items: await this.identity.listBranches(claims) };
  }

  @Post('branches')
  @RequirePermissions()
  @RequirePlatformPermissions('platform:manage')
  @AnyBranch()
  @ApiOperation({ summary: 'Create a branch (platform:manage); you become its admin at once, without signing in again' })
  createBranch(@Body() body: CreateBranchDto, @CurrentClaims() claims: AccessClaims) {
    return this.identity.createBranch(claims, body.code, body.name);
  }

  @Patch('branches/:id')
  @RequirePermissions()
  @AnyBranch()
  @ApiOperation({ summary: 'Rename or deactivate a branch you manage (any branch with platform:manage)' })
  updateBranch(@Param('id', uuid) id: string, @Body() body: UpdateBranchDto, @CurrentClaims() claims: AccessClaims) {
    return this.identity.updateBranch(claims, id, body);
  }

  @Get('users')
  @RequirePermissions('identity:manage')
  @ApiOperation({ summary: 'Users of the branch you act in' })
  @ApiPaging()
  async users(@CurrentCaller() caller: Caller, @CurrentClaims() claims: AccessClaims, @Query('limit') limit?: string, @Query('offset') offset?: string) {
    const page = pageRequest(limit, offset);
    return { items: await this.identity.listUsers(claims, caller.branchId, page.limit, page.offset), limit: page.limit, offset: page.offset };
  }

  @Post('users')
  @RequirePermissions('identity:manage')
  @ApiOperation({ summary: 'Create a user with memberships in branches you manage' })
  createUser(@Body() body: CreateUserDto, @CurrentClaims() claims: AccessClaims) {
    return this.identity.createUser(claims, body);
  }

  @Patch('users/:id')
  @RequirePermissions('identity:manage')
  @ApiOperation({ summary: 'Rename, deactivate, reset the password of, or change the memberships of a user' })
  updateUser(@Param('id', uuid) id: string, @Body() body: UpdateUserDto, @CurrentClaims() claims: AccessClaims) {
    return this.identity.updateUser(claims, id, body);
  }

  @Get('roles')
  @RequirePermissions('identity:manage')
  @ApiOperation({ summary: 'Roles and the branch permissions each holds' })
  async roles() {
    return { items: await this.identity.listRoles() };
  }

  @Put('roles/:name')
  @RequirePermissions()
  @RequirePlatformPermissions('platform:manage')
  @AnyBranch()
  @ApiOperation({ summary: 'Create or change a role (platform:manage): a role is the same in every branch' })
  putRole(@Param('name') name: string, @Body() body: RoleDto, @CurrentClaims() claims: AccessClaims) {
    return this.identity.putRole(claims, name, body.description, body.permissions);
  }
}
