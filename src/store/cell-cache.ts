// What every report derives from an organisation's respondent counts, kept in memory while its cells do
// not change. Each report first reads the ~3,000 respondent counts of the month × touchpoint × segment
// cube and applies the anonymity rule to them (core/anonymity.ts), two or three times; a dashboard asks
// for a dozen reports at once. cell_versions, bumped in every transaction that changes the cells, says
// whether what this process holds is current: one key lookup per report instead of the counts and the
// rule. Several app instances each keep their own copy and each checks the version.
//
// The version row is also the first row an ingest transaction locks, after its raw rows and before any
// cell: concurrent writers of one organisation then take the shared cell rows one after the other in
// PostgreSQL and cannot deadlock on them.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { bulkWrite } from './bulk.ts';
import { readRespondentCells } from './rollups.ts';
import { cut, type AnonymityOptions, type Attribute, type CellCount, type Cut } from '../core/anonymity.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { Perspective } from '../core/survey.ts';

/** Marks the organisations' cells as changed; call in the transaction that changes them, before it writes them. */
export async function bumpCellVersions(tx: Transaction<Database>, orgIds: Iterable<string>): Promise<void> {
  const rows = [...new Set(orgIds)].sort().map((id) => [id, 1]);
  await bulkWrite(
    tx,
    'cell_versions',
    [
      { name: 'org_id', type: 'text' },
      { name: 'version', type: 'bigint' },
    ],
    rows,
    { conflict: ['org_id'], add: ['version'] },
  );
}

const MAX_ORGS = 256;
const counts = new WeakMap<Kysely<Database>, Map<string, { version: number; cells: Promise<CellCount[]> }>>();

/**
 * Respondents per cell of the full cube (as rollups.readRespondentCells), the same array as long as the
 * organisation's cell version is unchanged. The array is frozen: it is shared by every report.
 */
export async function respondentCells(db: Kysely<Database>, orgId: string, perspective: Perspective): Promise<CellCount[]> {
  const row = await db.selectFrom('cell_versions').select('version').where('org_id', '=', orgId).executeTakeFirst();
  const version = Number(row?.version ?? 0);
  let byOrg = counts.get(db);
  if (!byOrg) counts.set(db, (byOrg = new Map()));
  const key = `${orgId}\u0000${perspective}`;
  const hit = byOrg.get(key);
  if (hit && hit.version === version) return hit.cells;
  // The promise is kept, so the dozen reports of one dashboard load that all miss share one read.
  const cells = readRespondentCells(db, orgId, perspective).then((rows) => Object.freeze(rows.map((c) => Object.freeze(c))) as CellCount[]);
  byOrg.delete(key);
  if (byOrg.size >= MAX_ORGS) byOrg.delete(byOrg.keys().next().value!);
  byOrg.set(key, { version, cells });
  cells.catch(() => {
    if (byOrg.get(key)?.cells === cells) byOrg.delete(key);
  });
  return cells;
}

const MAX_CUTS = 512;
const cuts = new WeakMap<readonly CellCount[], { touchpoints: string[]; results: Map<string, Cut> }>();

/** A JSON text that does not depend on the order of object keys. */
function stable(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(stable).join(',')}]`;
  if (x && typeof x === 'object') {
    return `{${Object.keys(x)
      .filter((k) => (x as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((x as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(x) ?? 'null';
}

/**
 * core/anonymity.ts's cut(), remembered per cells array (respondentCells keeps one per version): the
 * same cells, filters, options and breakdown give the same cut. The journey enters through stageOf, so
 * the key holds each touchpoint's stage. A remembered cut is shared: callers must not change it.
 */
export function memoCut(cells: readonly CellCount[], filters: ReportFilters, opts: AnonymityOptions, breakdown: readonly Attribute[] = []): Cut {
  let memo = cuts.get(cells);
  if (!memo) cuts.set(cells, (memo = { touchpoints: [...new Set(cells.map((c) => c.touchpoint))].sort(), results: new Map() }));
  const { stageOf, ...rest } = opts;
  const key = stable([filters, rest, breakdown, memo.touchpoints.map((t) => stageOf(t))]);
  let c = memo.results.get(key);
  if (!c) {
    c = cut(cells, filters, opts, breakdown);
    if (memo.results.size >= MAX_CUTS) memo.results.delete(memo.results.keys().next().value!);
    memo.results.set(key, c);
  }
  return c;
}

/**
 * Drops what this process holds for a database, as a new response would: the bench times reports on
 * cold caches this way (a live survey changes the cells between one dashboard load and the next).
 */
export function forgetCells(db: Kysely<Database>): void {
  counts.delete(db);
}
