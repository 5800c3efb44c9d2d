// What every report derives from an organisation's respondent counts (and its settings, framework and
// journey), kept in memory while they do not change. Each report first reads the ~3,000 respondent counts of the month × touchpoint × segment
// cube and applies the anonymity rule to them (core/anonymity.ts), two or three times; a dashboard asks
// for a dozen reports at once. cell_versions, bumped in every transaction that changes the cells, says
// whether what this process holds is current: one key lookup per report instead of the counts and the
// rule. The reports' reads of the cells are shared the same way (cachedRead).
//
// Several app servers on one database each keep their own copy and each checks the version in the
// database before serving from it, so a report asked for after a write was acknowledged — by any server —
// counts it (src/server/two-servers.test.ts). Not LISTEN/NOTIFY: a notification reaches the other servers
// some time after the commit, so a client sent to another server right after its write was acknowledged
// could be served the old report; and a listener's lost connection would need a replay. The version check
// is one primary-key read, shared by the reports asking at the same time, on a connection of the pool.
//
// The version row (cell-versions.ts) is also the first row every writer of the aggregates locks (folds,
// bulk imports, erasure, rebuild): concurrent writers of one organisation then take the shared cell rows
// one after the other in PostgreSQL and cannot deadlock on them. Live submissions take no such lock: they
// are queued and folded (fold-queue.ts), and reading the version folds the queue first.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { foldPending } from './fold-queue.ts';
import { readRespondentCells } from './rollups.ts';
import { cut, type AnonymityOptions, type Attribute, type CellCount, type Cut } from '../core/anonymity.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { Perspective } from '../core/survey.ts';

const MAX_ORGS = 256;

/** A read of an organisation's state under way, and the one that will follow it. */
interface SharedReads<T> {
  running?: Promise<T>;
  next?: Promise<T>;
}
type ReadsByOrg<T> = WeakMap<Kysely<Database>, Map<string, SharedReads<T>>>;

/**
 * A read of the database's current state for every caller, shared: callers share reads (the dozen reports
 * of one dashboard load start together), but only a read that begins after they ask: one under way may
 * have been answered before a write the caller already knows of committed — its own, or one acknowledged
 * by another server. So the callers arriving during a read wait for it and share the next: two reads at
 * most, however many callers.
 */
function sharedRead<T>(all: ReadsByOrg<T>, db: Kysely<Database>, orgId: string, read: () => Promise<T>): Promise<T> {
  let byOrg = all.get(db);
  if (!byOrg) all.set(db, (byOrg = new Map()));
  let reads = byOrg.get(orgId);
  if (!reads) byOrg.set(orgId, (reads = {}));
  const start = (slot: SharedReads<T>): Promise<T> => {
    const p: Promise<T> = read().finally(() => {
      if (slot.running !== p) return;
      slot.running = undefined;
      if (!slot.next && byOrg.get(orgId) === slot) byOrg.delete(orgId);
    });
    slot.running = p;
    return p;
  };
  const running = reads.running;
  if (!running) return start(reads);
  const slot = reads;
  const ignore = () => {};
  slot.next ??= running.then(ignore, ignore).then(() => {
    slot.next = undefined;
    return start(slot);
  });
  return slot.next;
}

const folds: ReadsByOrg<void> = new WeakMap();

/**
 * Folds what is queued for the organisation (fold-queue.ts), shared as above: once it resolves, the
 * aggregates count every response acknowledged before the call. Every read of the aggregates calls it
 * first (rollups.ts), directly or through the version.
 */
export function foldQueued(db: Kysely<Database>, orgId: string): Promise<void> {
  return sharedRead(folds, db, orgId, () => foldPending(db, orgId).then(() => {}));
}

const versions: ReadsByOrg<number> = new WeakMap();

/**
 * The organisation's version, read from the database for every caller, after folding its queue: this is
 * what keeps the caches of several processes on one database fresh.
 */
function cellVersion(db: Kysely<Database>, orgId: string): Promise<number> {
  return sharedRead(versions, db, orgId, async () => {
    await foldQueued(db, orgId);
    const row = await db.selectFrom('cell_versions').select('version').where('org_id', '=', orgId).executeTakeFirst();
    return Number(row?.version ?? 0);
  });
}

const contexts = new WeakMap<Kysely<Database>, Map<string, { version: number; value: Promise<unknown> }>>();

/**
 * What every report of an organisation reads first (the organisation, its framework and journey, the
 * respondent counts: analytics.ts reportContext), built once per version and shared: read-only. The
 * version is bumped by organisations.ts when the settings, framework or journey change, and by ingest.
 */
export async function cachedContext<T>(db: Kysely<Database>, orgId: string, build: () => Promise<T | undefined>): Promise<T | undefined> {
  const version = await cellVersion(db, orgId);
  let byOrg = contexts.get(db);
  if (!byOrg) contexts.set(db, (byOrg = new Map()));
  const hit = byOrg.get(orgId);
  if (hit && hit.version === version) return hit.value as Promise<T | undefined>;
  const value = build();
  byOrg.delete(orgId);
  if (byOrg.size >= MAX_ORGS) byOrg.delete(byOrg.keys().next().value!);
  byOrg.set(orgId, { version, value });
  const drop = () => {
    if (byOrg.get(orgId)?.value === value) byOrg.delete(orgId);
  };
  // An unknown organisation is not remembered (it may be created next).
  value.then((v) => v === undefined && drop(), drop);
  return value;
}

const MAX_READS = 256;
const MAX_READ_ROWS = 50_000;
const reads = new WeakMap<Kysely<Database>, Map<string, { version: number; rows: Promise<readonly unknown[]> }>>();

/**
 * A read of an organisation's cells (`read`, named by `key`), shared while its cell version is unchanged:
 * the panels of one dashboard load ask for the same leaders' figures, say, a dozen times. The rows are
 * shared: read-only.
 */
export async function cachedRead<T>(db: Kysely<Database>, orgId: string, key: string, read: () => Promise<readonly T[]>): Promise<readonly T[]> {
  const version = await cellVersion(db, orgId);
  let byKey = reads.get(db);
  if (!byKey) reads.set(db, (byKey = new Map()));
  const k = `${orgId}\u0000${key}`;
  const hit = byKey.get(k);
  if (hit && hit.version === version) return hit.rows as Promise<readonly T[]>;
  const rows = read();
  byKey.delete(k);
  if (byKey.size >= MAX_READS) byKey.delete(byKey.keys().next().value!);
  byKey.set(k, { version, rows });
  rows.then(
    (r) => {
      if (r.length > MAX_READ_ROWS && byKey.get(k)?.rows === rows) byKey.delete(k);
    },
    () => {
      if (byKey.get(k)?.rows === rows) byKey.delete(k);
    },
  );
  return rows;
}
const counts = new WeakMap<Kysely<Database>, Map<string, { version: number; cells: Promise<CellCount[]> }>>();

/**
 * Respondents per cell of the full cube (as rollups.readRespondentCells), the same array as long as the
 * organisation's cell version is unchanged. The array is frozen: it is shared by every report.
 */
export async function respondentCells(db: Kysely<Database>, orgId: string, perspective: Perspective): Promise<CellCount[]> {
  const version = await cellVersion(db, orgId);
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
export function stable(x: unknown): string {
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
  reads.delete(db);
  contexts.delete(db);
}
