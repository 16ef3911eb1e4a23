import { Module } from '@nestjs/common';
import type { Express } from 'express';
import { DomainError } from '@hms/contracts-common';
import { TokenVerifier, type AccessClaims } from '@hms/platform-auth';
import type { ServiceDefinition } from '@hms/platform-service';
import { gatewayConfigSchema } from './config';
import { AdminController } from './identity/admin.controller';
import { AuthController } from './identity/auth.controller';
import { firstStart } from './identity/bootstrap';
import { IdentityAdminService } from './identity/identity-admin.service';
import { loadSigningKey } from './identity/signing-keys';
import { TokenService } from './identity/token.service';
import { SECURITY_STORES, SIGNING_KEY } from './identity/tokens';
import { gatewayMigrations } from './migrations';
import { MergedOpenApi, mountDocs } from './proxy/docs';
import { proxyMiddleware } from './proxy/proxy.middleware';
import { ServiceRegistry } from './proxy/service-registry';
import { createSecurityStores, type RevocationStore } from './security/stores';

@Module({ controllers: [AuthController, AdminController], providers: [TokenService, IdentityAdminService] })
class IdentityModule {}

/** Verifies the gateway's own tokens with its key, and refuses tokens revoked at sign-out. */
class GatewayTokenVerifier extends TokenVerifier {
  constructor(
    options: ConstructorParameters<typeof TokenVerifier>[0],
    private readonly revocations: RevocationStore,
  ) {
    super(options);
  }
  override async verify(token: string): Promise<AccessClaims> {
    const claims = await super.verify(token);
    if (await this.revocations.isRevoked(claims.jti)) throw new DomainError('unauthenticated', 'token-revoked', 'This access token was revoked at sign-out');
    return claims;
  }
}

type GatewayConfig = { [K in keyof typeof gatewayConfigSchema]: unknown } & Record<string, unknown>;

export const gatewayDefinition: ServiceDefinition<typeof gatewayConfigSchema> = {
  name: 'gateway',
  title: 'HMS gateway',
  defaultPort: 3000,
  configSchema: gatewayConfigSchema,
  migrations: gatewayMigrations,
  imports: [IdentityModule],
  async prepare({ config, db }) {
    const c = config as GatewayConfig;
    const key = await loadSigningKey(db, c.HMS_JWT_PRIVATE_KEY as string | undefined);
    const stores = await createSecurityStores(c.REDIS_URL as string | undefined);
    const registry = new ServiceRegistry(config);
    const verifier = new GatewayTokenVerifier({ issuer: config.AUTH_ISSUER as string, audience: config.AUTH_AUDIENCE as string, keys: key.publicKey }, stores.revocations);
    return {
      tokenVerifier: verifier,
      providers: [
        { provide: SIGNING_KEY, useValue: key },
        { provide: SECURITY_STORES, useValue: stores },
        { provide: ServiceRegistry, useValue: registry },
      ],
      readiness: async () => {
        const checks: Record<string, boolean> = { [`${stores.kind}-security-store`]: await stores.healthy() };
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
      close: () => stores.close(),
    };
  },
  async configureApp(app, ctx, openApi) {
    const c = ctx.config as GatewayConfig;
    const express = app.getHttpAdapter().getInstance() as Express;
    const key = app.get<{ publicJwk: object }>(SIGNING_KEY);
    const registry = app.get(ServiceRegistry);
    const verifier = app.get(TokenVerifier);
    express.get('/.well-known/jwks.json', (_req, res) => {
      res.setHeader('cache-control', 'public, max-age=300');
      res.json({ keys: [key.publicJwk] });
    });
    mountDocs(express, new MergedOpenApi(openApi, registry));
    app.use(proxyMiddleware({ registry, verifier, db: ctx.db, outbox: ctx.outbox, logger: ctx.logger, timeoutMs: c.UPSTREAM_TIMEOUT_MS as number }));
    await firstStart(
      ctx.db,
      ctx.outbox,
      {
        adminEmail: c.HMS_ADMIN_EMAIL as string,
        adminPassword: c.HMS_ADMIN_PASSWORD as string,
        branchCode: c.HMS_DEFAULT_BRANCH_CODE as string,
        branchName: c.HMS_DEFAULT_BRANCH_NAME as string,
      },
      ctx.logger,
    );
  },
};
