import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyBranch, CurrentCaller, CurrentClaims, RequirePermissions, RequirePlatformPermissions, type AccessClaims, type Caller } from '@hms/platform-auth';
import { ApiProblems } from '@hms/platform-http';
import { CreateBranchUseCase } from '../branches/create-branch.use-case';
import { ListBranchesUseCase } from '../branches/list-branches.use-case';
import { UpdateBranchUseCase } from '../branches/update-branch.use-case';
import { ListRolesUseCase } from '../roles/list-roles.use-case';
import { PutRoleUseCase } from '../roles/put-role.use-case';
import { CreateUserUseCase } from '../users/create-user.use-case';
import { ListUsersUseCase } from '../users/list-users.use-case';
import { UpdateUserUseCase } from '../users/update-user.use-case';
import {
  CreateBranchDto,
  CreateUserDto,
  GatewayBranch,
  GatewayBranchPage,
  GatewayRole,
  GatewayRolePage,
  GatewayUser,
  GatewayUserPage,
  ListBranchesQuery,
  ListRolesQuery,
  ListUsersQuery,
  RoleDto,
  UpdateBranchDto,
  UpdateUserDto,
} from './admin.dto';

const uuid = new ParseUUIDPipe({ version: undefined });

/**
 * Administration of branches, users, memberships and roles. Every change is an event for the
 * audit trail and rewrites the live access of the users it touches in the same transaction, so
 * it applies at once on every port.
 */
@ApiTags('administration')
@ApiBearerAuth()
@Controller('api/v1/admin')
export class AdminController {
  constructor(
    private readonly listBranches: ListBranchesUseCase,
    private readonly createBranchUseCase: CreateBranchUseCase,
    private readonly updateBranchUseCase: UpdateBranchUseCase,
    private readonly listUsers: ListUsersUseCase,
    private readonly createUserUseCase: CreateUserUseCase,
    private readonly updateUserUseCase: UpdateUserUseCase,
    private readonly listRoles: ListRolesUseCase,
    private readonly putRoleUseCase: PutRoleUseCase,
  ) {}

  @Get('branches')
  @RequirePermissions('identity:manage')
  @ApiOperation({ summary: 'Branches you belong to (every branch, with platform:manage)' })
  @ApiOkResponse({ type: GatewayBranchPage })
  @ApiProblems({ 400: 'limit or offset is not a whole number in range, or X-Branch-Id is missing (several branches, no home branch) or not a UUID' })
  branches(@CurrentClaims() claims: AccessClaims, @Query() query: ListBranchesQuery) {
    return this.listBranches.execute(claims, query);
  }

  @Post('branches')
  @RequirePermissions()
  @RequirePlatformPermissions('platform:manage')
  @AnyBranch()
  @ApiOperation({ summary: 'Create a branch (platform:manage); you become its admin at once, without signing in again' })
  @ApiCreatedResponse({ type: GatewayBranch })
  @ApiProblems({ 400: 'The body is invalid (code not 2–8 capital letters or digits, name blank or too long)', 409: 'A branch with this code exists already' })
  createBranch(@Body() body: CreateBranchDto, @CurrentClaims() claims: AccessClaims) {
    return this.createBranchUseCase.execute(claims, body);
  }

  @Patch('branches/:id')
  @RequirePermissions()
  @AnyBranch()
  @ApiOperation({ summary: 'Rename or deactivate a branch you manage (any branch with platform:manage)' })
  @ApiOkResponse({ type: GatewayBranch })
  @ApiProblems({ 400: 'The id is not a UUID, or the body is invalid', 404: 'No such branch' })
  updateBranch(@Param('id', uuid) id: string, @Body() body: UpdateBranchDto, @CurrentClaims() claims: AccessClaims) {
    return this.updateBranchUseCase.execute(claims, id, body);
  }

  @Get('users')
  @RequirePermissions('identity:manage')
  @ApiOperation({ summary: 'Users of the branch you act in' })
  @ApiOkResponse({ type: GatewayUserPage })
  @ApiProblems({ 400: 'limit or offset is not a whole number in range, or X-Branch-Id is missing (several branches, no home branch) or not a UUID' })
  users(@CurrentCaller() caller: Caller, @CurrentClaims() claims: AccessClaims, @Query() query: ListUsersQuery) {
    return this.listUsers.execute(claims, caller.branchId, query);
  }

  @Post('users')
  @RequirePermissions('identity:manage')
  @ApiOperation({ summary: 'Create a user with memberships in branches you manage' })
  @ApiCreatedResponse({ type: GatewayUser })
  @ApiProblems({
    400: 'The body is invalid: a weak password, an unknown role, platform role or branch, or a home branch outside the memberships',
    409: 'A user with this email exists already',
  })
  createUser(@Body() body: CreateUserDto, @CurrentClaims() claims: AccessClaims) {
    return this.createUserUseCase.execute(claims, body);
  }

  @Patch('users/:id')
  @RequirePermissions('identity:manage')
  @ApiOperation({ summary: 'Rename, deactivate, reset the password of, or change the memberships of a user' })
  @ApiOkResponse({ type: GatewayUser })
  @ApiProblems({
    400: 'The id is not a UUID, or the body is invalid: a weak password, an unknown role, platform role or branch, or a home branch that is not one of the user’s',
    404: 'No such user in a branch you manage',
  })
  updateUser(@Param('id', uuid) id: string, @Body() body: UpdateUserDto, @CurrentClaims() claims: AccessClaims) {
    return this.updateUserUseCase.execute(claims, id, body);
  }

  @Get('roles')
  @RequirePermissions('identity:manage')
  @ApiOperation({ summary: 'Roles and the branch permissions each holds' })
  @ApiOkResponse({ type: GatewayRolePage })
  @ApiProblems({ 400: 'limit or offset is not a whole number in range, or X-Branch-Id is missing (several branches, no home branch) or not a UUID' })
  roles(@Query() query: ListRolesQuery) {
    return this.listRoles.execute(query);
  }

  @Put('roles/:name')
  @RequirePermissions()
  @RequirePlatformPermissions('platform:manage')
  @AnyBranch()
  @ApiOperation({ summary: 'Create or change a role (platform:manage): a role is the same in every branch' })
  @ApiOkResponse({ type: GatewayRole, description: 'The role as it now is (created or changed)' })
  @ApiProblems({ 400: 'The name is not 2–40 lower-case letters, digits or hyphens, or the body names an unknown permission', 409: 'The admin role and platform roles cannot be defined' })
  putRole(@Param('name') name: string, @Body() body: RoleDto, @CurrentClaims() claims: AccessClaims) {
    return this.putRoleUseCase.execute(claims, name, body);
  }
}
