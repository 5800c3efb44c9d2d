// The query string of a keyset-paged list route (store/page-cursor.ts): `limit` bounded by MAX_PAGE and
// `after`, the `next` cursor of the previous page; a cursor that is not one of the list's is a 400
// naming `after`.
import { z } from 'zod';
import { BadCursor, MAX_PAGE } from '../../store/page-cursor.ts';
import { ApiError } from '../errors.ts';

/** `limit` (1–200, default `defaultLimit`) and `after`. */
export const pageQuery = (defaultLimit: number) =>
  z.object({
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(defaultLimit).describe(`rows per page, at most ${MAX_PAGE}`),
    after: z.string().max(1200).optional().describe('the `next` cursor of the previous page'),
  });

/** A BadCursor from the store as the 400 naming `after`; anything else unchanged. */
export function badCursor(e: unknown): unknown {
  if (e instanceof BadCursor) return new ApiError(400, `after: ${e.message}`, [{ field: 'after', message: e.message }]);
  return e;
}
