// Keyset pagination for the lists that can grow (members, contacts): a page is the rows after the sort
// key of the previous page's last row, so a page costs the same at any depth (no OFFSET scan) and rows
// added or removed between two reads neither repeat nor skip the others. The cursor is that key, opaque
// to clients (base64url JSON tagged with the list's name, so one list's cursor is refused by another).

/** The largest page any list route serves (issue 14: bounded responses). */
export const MAX_PAGE = 200;

export class BadCursor extends Error {}

/** The cursor after a row whose sort key is `key` in list `list`. */
export function encodeCursor(list: string, key: readonly string[]): string {
  return Buffer.from(JSON.stringify([list, ...key])).toString('base64url');
}

/** The sort key a cursor of `list` holds (`parts` strings); BadCursor for anything else. */
export function decodeCursor(list: string, cursor: string, parts: number): string[] {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursor(`is not a cursor of this list`);
  }
  if (!Array.isArray(v) || v.length !== parts + 1 || v[0] !== list || !v.every((x) => typeof x === 'string' && x.length <= 400))
    throw new BadCursor(`is not a cursor of this list`);
  return v.slice(1) as string[];
}

/**
 * A page from rows read with `limit + 1`: the first `limit` rows, and the cursor after the last of them
 * when the extra row shows there is more.
 */
export function pageOf<T>(list: string, rows: T[], limit: number, keyOf: (row: T) => readonly string[]): { rows: T[]; next: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > limit && last ? encodeCursor(list, keyOf(last)) : null };
}
