import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@hms/contracts-common';
import { httpRequestDuration, runInContext, type Logger } from '@hms/platform-observability';
import { ProblemFilter, sendProblemBody } from './problem.filter';
import { assertSafeInput } from './sanitize';
import { createValidationPipe } from './validation';

const CORRELATION = /^[A-Za-z0-9._:-]{1,100}$/;

export interface HttpSetupOptions {
  logger: Logger;
  bodyLimit: string;
}

/**
 * Everything every HTTP service does the same way: correlation ids, body limits, JSON only,
 * unsafe-input rejection, validation, problem+json errors and access logs without personal data.
 */
export function configureHttp(app: INestApplication, options: HttpSetupOptions): ProblemFilter {
  const filter = new ProblemFilter(options.logger);
  const expressApp = app.getHttpAdapter().getInstance() as express.Express;
  expressApp.disable('x-powered-by');
  expressApp.set('query parser', 'simple');
  app.use(correlation(options.logger));
  // The usual security headers (nosniff, frame and referrer policies, a same-origin CSP, HSTS).
  app.use(helmet());
  // API answers carry personal data: no browser or proxy keeps a copy. (A route may say otherwise.)
  app.use('/api', (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('cache-control', 'no-store');
    next();
  });
  app.use(requireJson(filter));
  app.use(express.json({ limit: options.bodyLimit, strict: true, type: ['application/json', 'application/*+json'] }));
  app.use((req: Request, _res: Response, next: NextFunction) => {
    try {
      assertSafeInput(req.body, '');
      assertSafeInput(req.query, 'query');
      next();
    } catch (error) {
      next(error);
    }
  });
  // Errors raised by the middleware above (body parser, sanitiser) are rendered here, before Nest's router.
  app.use(problemErrorHandler(filter));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(filter);
  return filter;
}

/** Express error handler that renders errors raised before Nest's router (body parsing, sanitising). */
export function problemErrorHandler(filter: ProblemFilter) {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const body = filter.toProblem(error);
    body.instance = req.originalUrl.split('?')[0];
    const id = res.getHeader('x-correlation-id');
    if (typeof id === 'string') body.correlationId = id;
    sendProblemBody(res, body);
  };
}

function correlation(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header('x-correlation-id');
    const id = incoming && CORRELATION.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-correlation-id', id);
    (req as Request & { correlationId: string }).correlationId = id;
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(req);
      httpRequestDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      if (!req.path.startsWith('/health') && req.path !== '/metrics') {
        // Paths only, never query strings: a search query may hold a name or a phone number.
        logger.info({ correlationId: id, method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
      }
    });
    runInContext({ correlationId: id }, next);
  };
}

function routeOf(req: Request): string {
  const route = (req as Request & { route?: { path?: string } }).route?.path;
  if (route) return `${req.baseUrl ?? ''}${route}`;
  return req.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, ':id').slice(0, 100);
}

function requireJson(filter: ProblemFilter) {
  return (req: Request, res: Response, next: NextFunction) => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (!hasBody || !['POST', 'PUT', 'PATCH'].includes(req.method)) return next();
    const type = req.headers['content-type'] ?? '';
    if (/^application\/([a-z.+-]*\+)?json\b/i.test(type)) return next();
    const error = new DomainError('validation', 'unsupported-media-type', 'Send the body as application/json');
    const body = filter.toProblem(error);
    body.status = 415;
    body.title = 'Unsupported media type';
    body.instance = req.originalUrl.split('?')[0];
    res.status(415).type('application/problem+json').send(JSON.stringify({ ...body, correlationId: res.getHeader('x-correlation-id') }));
  };
}

/** Renders any error as problem+json from plain Express code (the gateway's proxy). */
export function sendProblem(filter: ProblemFilter, req: Request, res: Response, error: unknown): void {
  problemErrorHandler(filter)(error, req, res, () => undefined);
}
