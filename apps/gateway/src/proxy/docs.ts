import type { Express, Request, Response } from 'express';
import express from 'express';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { ServiceRegistry } from './service-registry';

type Doc = OpenAPIObject & { components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> } };

/**
 * One OpenAPI document for the whole platform: the gateway's own routes plus every service's
 * document, fetched from `<service>/openapi.json`. Cached briefly; a service that is down is
 * named in the description rather than failing the whole document.
 */
export class MergedOpenApi {
  private cache: { at: number; doc: Doc } | null = null;

  constructor(
    private readonly own: Doc,
    private readonly registry: ServiceRegistry,
    private readonly ttlMs = 15_000,
  ) {}

  async document(): Promise<Doc> {
    if (this.cache && performance.now() - this.cache.at < this.ttlMs) return this.cache.doc;
    const merged: Doc = structuredClone(this.own);
    merged.info = { ...merged.info, title: 'Hospital Management Platform API', description: 'All routes through the gateway. Sign in with POST /api/v1/auth/login, then Authorize with the access token.' };
    const components = (merged.components ??= {});
    const schemas = (components.schemas ??= {});
    const missing: string[] = [];
    const collisions: string[] = [];
    const owners = new Map<string, string>(Object.keys(schemas).map((k) => [k, 'gateway']));
    await Promise.all(
      this.registry.entries().map(async ([name, base]) => {
        try {
          const response = await fetch(new URL('/openapi.json', base), { signal: AbortSignal.timeout(3000) });
          if (!response.ok) throw new Error(String(response.status));
          const doc = (await response.json()) as Doc;
          for (const [path, item] of Object.entries(doc.paths ?? {})) {
            if (path.startsWith(`/api/v1/${name}`)) merged.paths[path] = item;
          }
          for (const [schema, value] of Object.entries(doc.components?.schemas ?? {})) {
            const owner = owners.get(schema);
            if (owner !== undefined && JSON.stringify(schemas[schema]) !== JSON.stringify(value)) {
              // Two services mean different things by one name: one of the operations would be
              // documented with the other's schema. The document says so; a test keeps it empty.
              collisions.push(`${schema} (${owner} and ${name})`);
              continue;
            }
            schemas[schema] = value;
            owners.set(schema, name);
          }
          merged.tags = [...(merged.tags ?? []), ...(doc.tags ?? []).filter((t) => !(merged.tags ?? []).some((m) => m.name === t.name))];
        } catch {
          missing.push(name);
        }
      }),
    );
    if (missing.length) merged.info.description += `\n\nNot reachable when this document was built: ${missing.sort().join(', ')}.`;
    if (collisions.length) {
      collisions.sort();
      (merged as Doc & { 'x-hms-schema-collisions'?: string[] })['x-hms-schema-collisions'] = collisions;
      merged.info.description += `\n\nSchema names defined differently by two services (each needs a name of its own): ${collisions.join(', ')}.`;
    }
    merged.paths = Object.fromEntries(Object.entries(merged.paths).sort(([a], [b]) => a.localeCompare(b)));
    this.cache = { at: performance.now(), doc: merged }; // monotonic: only the age matters
    return merged;
  }
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hospital Management Platform API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

const INIT = `window.ui = SwaggerUIBundle({
  url: '/docs/openapi.json', dom_id: '#ui', persistAuthorization: true, deepLinking: true,
  responseInterceptor: function (res) {
    // After a successful sign-in, authorise the page with the new access token.
    try {
      if (res.url.endsWith('/api/v1/auth/login') && res.status === 200) {
        var body = typeof res.body === 'object' ? res.body : JSON.parse(res.text);
        if (body && body.accessToken) window.ui.preauthorizeApiKey('bearer', body.accessToken);
      }
    } catch (e) {}
    return res;
  }
});`;

export function mountDocs(app: Express, merged: MergedOpenApi): void {
  // swagger-ui-dist ships the UI's static files; served locally, nothing is fetched from elsewhere.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package exposes its folder only through require
  const assets = (require('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();
  app.use('/docs/assets', express.static(assets, { index: false, maxAge: '1h' }));
  app.get('/docs/openapi.json', async (_req: Request, res: Response) => {
    res.json(await merged.document());
  });
  app.get('/docs/init.js', (_req: Request, res: Response) => {
    res.type('application/javascript').send(INIT);
  });
  app.get(['/docs', '/docs/'], (_req: Request, res: Response) => {
    res.type('html').send(PAGE);
  });
}
