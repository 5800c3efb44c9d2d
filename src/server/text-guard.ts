// One class-wide check that no request carries text that may not be stored (core/text.ts: NUL, other
// control characters but tab and line breaks, lone surrogates): path parameters, query strings and the
// headers used as values first (onRequest, before the access hook runs its first query), then the body
// once it is parsed (preValidation). Every route, present and future, answers 400 naming the field,
// on both engines alike — PostgreSQL refused NUL with a 500, SQLite stored it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findInvalidText, hasInvalidText, INVALID_TEXT_MESSAGE } from '../core/text.ts';
import { ApiError } from './errors.ts';

// Headers whose values reach queries or are stored (others are only compared or ignored).
const VALUE_HEADERS = ['idempotency-key', 'x-csrf-token', 'x-leader-token', 'authorization'] as const;

// A field name that itself holds invalid text is shown with the characters replaced.
const printable = (path: string[]) => path.map((p) => p.replace(/[\u0000-\u001F]|\p{Surrogate}/gu, '\uFFFD')).join('.');

const refuse = (field: string) => new ApiError(400, `${field}: ${INVALID_TEXT_MESSAGE}`, [{ field, message: INVALID_TEXT_MESSAGE }]);

function checkRequestLine(req: FastifyRequest) {
  const params = findInvalidText(req.params);
  if (params) throw refuse(printable(params) || 'path');
  const query = findInvalidText(req.query);
  if (query) throw refuse(printable(query) || 'query');
  for (const h of VALUE_HEADERS) {
    const v = req.headers[h];
    if (typeof v === 'string' && hasInvalidText(v)) throw refuse(h);
  }
}

export function textGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => checkRequestLine(req));
  app.addHook('preValidation', async (req) => {
    const body = findInvalidText(req.body);
    if (body) throw refuse(printable(body) || 'body');
  });
}
