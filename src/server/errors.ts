// One error shape for the whole API: status, a message naming the field, and every field error.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { FieldError } from '../core/survey.ts';
import { databaseUnavailable } from '../store/db-errors.ts';

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    message: string,
    public readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
  static validation(fields: FieldError[]): ApiError {
    return new ApiError(422, fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
  }
  static notFound(what: string): ApiError {
    return new ApiError(404, `${what} not found`);
  }
}

const reason: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 410: 'Gone', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 503: 'Service Unavailable' };

export function errorBody(status: number, message: string, fields: FieldError[] = []) {
  return { statusCode: status, error: reason[status] ?? 'Error', message, fields };
}

export function handleError(err: FastifyError | ApiError | Error, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof ApiError) return reply.code(err.status).send(errorBody(err.status, err.message, err.fields));
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as any).validationContext as string | undefined; // body | querystring | params | headers
    const fields: FieldError[] = err.validation.flatMap((v: any) => {
      const path = String(v.instancePath ?? '')
        .replace(/^\//, '')
        .replaceAll('/', '.');
      // An unknown key is named by itself (e.g. "colour"), inside its parent object when nested.
      if (v.keyword === 'unrecognized_keys' && Array.isArray(v.params?.keys))
        return v.params.keys.map((k: string) => ({ field: path ? `${path}.${k}` : k, message: 'is not a known field' }));
      return [{ field: path || where || 'body', message: v.message ?? 'is invalid' }];
    });
    return reply.code(400).send(errorBody(400, fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields));
  }
  const fe = err as FastifyError;
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return reply.code(fe.statusCode).send(errorBody(fe.statusCode, fe.message));
  }
  // A database restart, failover, full disk or long lock: 503 with Retry-After, never a crash or a 500.
  const down = databaseUnavailable(err);
  if (down) {
    req.log.warn({ err }, 'database unavailable');
    return reply.code(503).header('retry-after', String(down.retryAfter)).send(errorBody(503, down.message));
  }
  req.log.error(err);
  return reply.code(500).send(errorBody(500, 'internal error'));
}
