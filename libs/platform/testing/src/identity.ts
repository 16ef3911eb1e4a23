import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { BUILT_IN_ROLES, type Permission } from '@hms/contracts-common';
import { randomUUID } from 'node:crypto';

export interface TestBranch {
  id: string;
  code: string;
}

export interface TokenRequest {
  userId?: string;
  name?: string;
  branches: { branch: TestBranch; role?: string; permissions?: readonly Permission[] }[];
  expiresInSeconds?: number;
  issuer?: string;
  audience?: string;
  /** Platform permissions (platform:manage, platform:audit), beside the branch ones. */
  platform?: string[];
}

/**
 * A stand-in token issuer for testing one service without the gateway: a real ES256 key,
 * served as JWKS over real HTTP, signing tokens shaped exactly like the gateway's.
 */
export class TestIdentity {
  private server: http.Server | null = null;
  jwksUrl = '';

  private constructor(private readonly privateKey: KeyLike) {}

  static async start(): Promise<TestIdentity> {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
    const identity = new TestIdentity(privateKey);
    const server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    identity.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    identity.jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    return identity;
  }

  static branch(code = 'TEST'): TestBranch {
    return { id: randomUUID(), code };
  }

  async token(request: TokenRequest): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      typ: 'access',
      email: 'tester@hms.test',
      name: request.name ?? 'Test User',
      branches: request.branches.map((b) => ({
        id: b.branch.id,
        code: b.branch.code,
        roles: [b.role ?? 'custom'],
        permissions: [...(b.permissions ?? BUILT_IN_ROLES[b.role ?? 'admin'] ?? [])],
      })),
      platform: request.platform ?? [],
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
      .setSubject(request.userId ?? randomUUID())
      .setIssuer(request.issuer ?? 'hms-gateway')
      .setAudience(request.audience ?? 'hms')
      .setIssuedAt(now)
      .setExpirationTime(now + (request.expiresInSeconds ?? 600))
      .setJti(randomUUID())
      .sign(this.privateKey);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
