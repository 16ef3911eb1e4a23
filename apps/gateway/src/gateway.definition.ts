import { Module } from '@nestjs/common';
import compression from 'compression';
import { constants as zlibConstants } from 'node:zlib';
import type { Express } from 'express';
import { TokenVerifier, releaseStrategy, strategyName } from '@hms/platform-auth';
import type { ServiceDefinition } from '@hms/platform-service';
import { ID_GENERATOR, type IdGenerator } from '@hms/platform-time';
import { ChangePasswordUseCase } from './account/change-password.use-case';
import { GetProfileUseCase } from './account/get-profile.use-case';
import { SetHomeBranchUseCase } from './account/set-home-branch.use-case';
import { CreateBranchUseCase } from './branches/create-branch.use-case';
import { ListBranchesUseCase } from './branches/list-branches.use-case';
import { UpdateBranchUseCase } from './branches/update-branch.use-case';
import { gatewayConfigSchema } from './config';
import { BranchEntity } from './data/branch.entity';
import { BranchesRepository } from './data/branches.repository';
import { LoginThrottleEntity } from './data/login-throttle.entity';
import { MembershipEntity } from './data/membership.entity';
import { MembershipsRepository } from './data/memberships.repository';
import { ReadCoalescingEntity } from './data/read-coalescing.entity';
import { ReadCoalescingRepository } from './data/read-coalescing.repository';
import { RefreshTokenEntity } from './data/refresh-token.entity';
import { RefreshTokensRepository } from './data/refresh-tokens.repository';
import { RoleEntity } from './data/role.entity';
import { RolesRepository } from './data/roles.repository';
import { SigningKeyEntity } from './data/signing-key.entity';
import { UserAccessRepository } from './data/user-access.repository';
import { UserEntity } from './data/user.entity';
import { UsersRepository } from './data/users.repository';
import { DEFAULT_THROTTLE, LoginThrottle } from './domain/login-throttle';
import { AdminController } from './http/admin.controller';
import { AuthController } from './http/auth.controller';
import { SIGN_IN_STRATEGY, SignInGuard, signInStrategyProvider } from './http/sign-in.strategy';
import { gatewayMigrations } from './migrations';
import { ReadRecorder } from './proxy/access-recorder';
import { MergedOpenApi, mountDocs } from './proxy/docs';
import { proxyMiddleware } from './proxy/proxy.middleware';
import { ServiceRegistry } from './proxy/service-registry';
import { ListRolesUseCase } from './roles/list-roles.use-case';
import { PutRoleUseCase } from './roles/put-role.use-case';
import { SecretBox } from './security/secret-box';
import { createThrottleStore } from './security/stores';
import { FirstStartUseCase } from './setup/first-start.use-case';
import { RefreshTokenUseCase } from './sign-in/refresh-token.use-case';
import { SessionTokens } from './sign-in/session-tokens';
import { SignInUseCase } from './sign-in/sign-in.use-case';
import { SignOutUseCase } from './sign-in/sign-out.use-case';
import { VerifyCredentialsUseCase } from './sign-in/verify-credentials.use-case';
import { LoadSigningKeyUseCase } from './signing-keys/load-signing-key.use-case';
import { SIGNING_KEY } from './signing-keys/signing-key';
import { CreateUserUseCase } from './users/create-user.use-case';
import { ListUsersUseCase } from './users/list-users.use-case';
import { MembershipChecks } from './users/membership-checks';
import { UpdateUserUseCase } from './users/update-user.use-case';
import { UserChanges } from './users/user-changes';

/** Sign-in, sessions and the administration of branches, users and roles. */
@Module({
  controllers: [AuthController, AdminController],
  providers: [
    // sign-in/ and account/
    VerifyCredentialsUseCase,
    SignInUseCase,
    RefreshTokenUseCase,
    SignOutUseCase,
    ChangePasswordUseCase,
    GetProfileUseCase,
    SetHomeBranchUseCase,
    SessionTokens,
    SignInGuard,
    signInStrategyProvider,
    // branches/, users/, roles/, setup/
    ListBranchesUseCase,
    CreateBranchUseCase,
    UpdateBranchUseCase,
    ListUsersUseCase,
    CreateUserUseCase,
    UpdateUserUseCase,
    MembershipChecks,
    UserChanges,
    ListRolesUseCase,
    PutRoleUseCase,
    FirstStartUseCase,
    // data/
    UsersRepository,
    BranchesRepository,
    MembershipsRepository,
    RolesRepository,
    RefreshTokensRepository,
    UserAccessRepository,
  ],
})
class IdentityModule {}

type GatewayConfig = { [K in keyof typeof gatewayConfigSchema]: unknown } & Record<string, unknown>;

export const gatewayDefinition: ServiceDefinition<typeof gatewayConfigSchema> = {
  name: 'gateway',
  title: 'HMS gateway',
  defaultPort: 3000,
  configSchema: gatewayConfigSchema,
  migrations: gatewayMigrations,
  entities: [UserEntity, BranchEntity, RoleEntity, MembershipEntity, RefreshTokenEntity, SigningKeyEntity, LoginThrottleEntity, ReadCoalescingEntity],
  imports: [IdentityModule],
  async prepare({ config, db, logger, sessions }) {
    const c = config as GatewayConfig;
    const box = SecretBox.fromConfig(c.HMS_SECRETS_KEY as string | undefined, c.HMS_SECRETS_KEY_FILE as string | undefined);
    const key = await new LoadSigningKeyUseCase(db).execute(c.HMS_JWT_PRIVATE_KEY as string | undefined, box);
    const throttleStore = await createThrottleStore(db, { url: c.REDIS_URL as string | undefined, prefix: c.REDIS_PREFIX as string }, (error) => logger.warn({ err: { message: error.message } }, 'redis error'));
    const throttle = new LoginThrottle(throttleStore, { ...DEFAULT_THROTTLE, addressFailures: c.LOGIN_RATE_LIMIT as number });
    const registry = new ServiceRegistry(config);
    const signIn = strategyName('local', 'gateway');
    const verifier = new TokenVerifier({ issuer: config.AUTH_ISSUER as string, audience: config.AUTH_AUDIENCE as string, keys: key.publicKey });
    return {
      tokenVerifier: verifier,
      providers: [
        { provide: SIGNING_KEY, useValue: key },
        { provide: LoginThrottle, useValue: throttle },
        { provide: ServiceRegistry, useValue: registry },
        { provide: SIGN_IN_STRATEGY, useValue: signIn },
      ],
      readiness: async () => {
        const checks: Record<string, boolean> = {
          [`${throttleStore.kind}-security-store`]: await throttleStore.healthy(),
          [`${sessions.revocations.kind}-session-state`]: await sessions.healthy(),
        };
        await Promise.all(
          registry.entries().map(async ([name, base]) => {
            checks[name] = await fetch(new URL('/health/ready', base), { signal: AbortSignal.timeout(2000) }).then(
              (r) => r.ok,
              () => false,
            );
          }),
        );
        return checks;
      },
      close: async () => {
        releaseStrategy(signIn);
        await throttleStore.close();
      },
    };
  },
  async configureApp(app, ctx, openApi) {
    const c = ctx.config as GatewayConfig;
    const express = app.getHttpAdapter().getInstance() as Express;
    const key = app.get<{ publicJwk: object }>(SIGNING_KEY);
    const registry = app.get(ServiceRegistry);
    // Large answers (a 1,000-bed board: 300 KB of JSON) travel compressed to clients that accept
    // it; at gzip's fastest level, which compresses JSON almost as well for a fraction of the CPU,
    // and not below 16 KB, where compressing costs more than it saves on a hospital's network.
    app.use(compression({ threshold: 16 * 1024, level: zlibConstants.Z_BEST_SPEED }));
    express.get('/.well-known/jwks.json', (_req, res) => {
      res.setHeader('cache-control', 'public, max-age=300');
      res.json({ keys: [key.publicJwk] });
    });
    mountDocs(express, new MergedOpenApi(openApi, registry));
    const reads = new ReadRecorder(ctx.db, ctx.outbox, new ReadCoalescingRepository(), { windowSeconds: c.READ_COALESCE_SECONDS as number, onError: (e) => ctx.logger.warn({ err: { message: (e as Error).message } }, 'read recorder') }, app.get<IdGenerator>(ID_GENERATOR));
    reads.start();
    app.use(proxyMiddleware({ registry, authStrategy: ctx.authStrategy, reads, logger: ctx.logger, timeoutMs: c.UPSTREAM_TIMEOUT_MS as number }));
    await app.get(FirstStartUseCase).execute({
      adminEmail: c.HMS_ADMIN_EMAIL as string,
      adminPassword: c.HMS_ADMIN_PASSWORD as string | undefined,
      branchCode: c.HMS_DEFAULT_BRANCH_CODE as string,
      branchName: c.HMS_DEFAULT_BRANCH_NAME as string,
    });
    return () => reads.stop();
  },
};
