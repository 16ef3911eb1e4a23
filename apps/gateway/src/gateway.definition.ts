import { Module } from '@nestjs/common';
import compression from 'compression';
import { constants as zlibConstants } from 'node:zlib';
import type { Express } from 'express';
import { TokenVerifier, releaseStrategy, strategyName } from '@hms/platform-auth';
import type { ServiceDefinition } from '@hms/platform-service';
import { gatewayConfigSchema } from './config';
import { AdminController } from './identity/admin.controller';
import { AuthController } from './identity/auth.controller';
import { firstStart } from './identity/bootstrap';
import { IdentityAdminService } from './identity/identity-admin.service';
import { SIGN_IN_STRATEGY, SignInGuard, signInStrategy } from './identity/sign-in.strategy';
import { loadSigningKey } from './identity/signing-keys';
import { TokenService } from './identity/token.service';
import { SIGNING_KEY } from './identity/tokens';
import { gatewayMigrations } from './migrations';
import { ReadRecorder } from './proxy/access-recorder';
import { MergedOpenApi, mountDocs } from './proxy/docs';
import { proxyMiddleware } from './proxy/proxy.middleware';
import { ServiceRegistry } from './proxy/service-registry';
import { DEFAULT_THROTTLE, LoginThrottle } from './security/login-throttle';
import { SecretBox } from './security/secret-box';
import { createThrottleStore } from './security/stores';

@Module({ controllers: [AuthController, AdminController], providers: [TokenService, IdentityAdminService, SignInGuard] })
class IdentityModule {}

type GatewayConfig = { [K in keyof typeof gatewayConfigSchema]: unknown } & Record<string, unknown>;

export const gatewayDefinition: ServiceDefinition<typeof gatewayConfigSchema> = {
  name: 'gateway',
  title: 'HMS gateway',
  defaultPort: 3000,
  configSchema: gatewayConfigSchema,
  migrations: gatewayMigrations,
  imports: [IdentityModule],
  async prepare({ config, db, logger, sessions }) {
    const c = config as GatewayConfig;
    const box = SecretBox.fromConfig(c.HMS_SECRETS_KEY as string | undefined, c.HMS_SECRETS_KEY_FILE as string | undefined);
    const key = await loadSigningKey(db, c.HMS_JWT_PRIVATE_KEY as string | undefined, box);
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
        signInStrategy(signIn),
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
    const reads = new ReadRecorder(ctx.db, ctx.outbox, { windowSeconds: c.READ_COALESCE_SECONDS as number, onError: (e) => ctx.logger.warn({ err: { message: (e as Error).message } }, 'read recorder') });
    reads.start();
    app.use(proxyMiddleware({ registry, authStrategy: ctx.authStrategy, reads, logger: ctx.logger, timeoutMs: c.UPSTREAM_TIMEOUT_MS as number }));
    await firstStart(
      ctx.db,
      ctx.outbox,
      {
        adminEmail: c.HMS_ADMIN_EMAIL as string,
        adminPassword: c.HMS_ADMIN_PASSWORD as string | undefined,
        branchCode: c.HMS_DEFAULT_BRANCH_CODE as string,
        branchName: c.HMS_DEFAULT_BRANCH_NAME as string,
      },
      ctx.logger,
    );
    return () => reads.stop();
  },
};
