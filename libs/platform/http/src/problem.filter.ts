import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { DomainError } from '@hms/contracts-common';
import type { Logger } from '@hms/platform-observability';
import { isDatabaseUnavailable } from '@hms/platform-persistence';
import { PROBLEM_CONTENT_TYPE, problem, problemFromDomainError, type Problem } from './problem';

/** Body-parser errors carry a status and a type string. */
interface ParserError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Writes a problem. A 503 or 429 always says when to come back (`Retry-After`), from the
 * problem's `retryAfterSeconds` when it has one.
 */
export function sendProblemBody(res: Response, body: Problem): void {
  if ((body.status === 503 || body.status === 429) && !res.getHeader('retry-after')) {
    res.setHeader('retry-after', String(typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : DATABASE_RETRY_AFTER_SECONDS));
  }
  res.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** The one place where errors become HTTP: domain codes to problem+json, anything unknown to a 500 with an errorId. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const body = this.toProblem(exception);
    body.instance = req.originalUrl?.split('?')[0];
    const correlationId = res.getHeader('x-correlation-id');
    if (typeof correlationId === 'string') body.correlationId = correlationId;
    if (res.headersSent) return;
    sendProblemBody(res, body);
  }

  toProblem(exception: unknown): Problem {
    if (exception instanceof DomainError) return problemFromDomainError(exception);
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ err: { message: (exception as Error).message } }, 'database unavailable');
      return problem(503, 'database-unavailable', 'Service unavailable', 'The database cannot be reached right now; try again in a few seconds', {
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      });
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const detail =
        typeof response === 'string'
          ? response
          : typeof response === 'object' && response && 'message' in response
            ? [(response as { message: unknown }).message].flat().join('; ')
            : exception.message;
      if (status >= 500) return this.internal(exception);
      const code = status === 404 ? 'route-not-found' : status === 405 ? 'method-not-allowed' : `http-${status}`;
      return problem(status, code, exception.name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'), detail);
    }
    const parser = exception as ParserError;
    const status = parser?.status ?? parser?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      switch (parser.type) {
        case 'entity.parse.failed':
          return problem(400, 'malformed-json', 'Malformed JSON', 'The request body is not valid JSON');
        case 'entity.too.large':
          return problem(413, 'body-too-large', 'Request body too large', 'The request body is larger than this endpoint accepts');
        case 'encoding.unsupported':
        case 'charset.unsupported':
          return problem(415, 'unsupported-encoding', 'Unsupported encoding', 'Send the body as UTF-8 JSON');
        default:
          return problem(status, `http-${status}`, 'Bad request', 'The request could not be read');
      }
    }
    return this.internal(exception);
  }

  private internal(exception: unknown): Problem {
    const errorId = randomUUID();
    const err = exception instanceof Error ? { name: exception.name, message: exception.message, stack: exception.stack } : { message: String(exception) };
    this.logger.error({ err, errorId }, 'unhandled error');
    return problem(500, 'internal-error', 'Internal error', `Something went wrong on our side. Quote error id ${errorId} when reporting it.`, {
      errorId,
    });
  }
}
