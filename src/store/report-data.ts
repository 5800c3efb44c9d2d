// Reads the sufficient statistics a report needs from the answer-count cells: per perspective, the
// histogram of every item within the filters. Touchpoint and segment filters describe customers;
// leaders answer about all customers, so only the period filter applies to them.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { foldQueued } from './cell-cache.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { SideAggregate } from '../core/gap-report.ts';
import { parseSegmentKey } from '../core/survey.ts';
import { readHistograms } from './rollups.ts';

export interface Aggregates {
  leaders: SideAggregate;
  customers: SideAggregate;
}

const empty = (): SideAggregate => ({ respondents: 0, items: Object.create(null) }); // keyed by item: no prototype

/** Touchpoint keys a filter selects, or undefined for "all". */
async function touchpointScope(db: Kysely<Database>, orgId: string, f: ReportFilters): Promise<string[] | undefined> {
  let tps = f.touchpoints;
  if (f.stage) {
    const inStage = (
      await db.selectFrom('touchpoints').select('key').where('org_id', '=', orgId).where('stage_key', '=', f.stage).execute()
    ).map((r) => r.key);
    tps = tps ? tps.filter((t) => inStage.includes(t)) : inStage;
  }
  return tps;
}

/** Segment keys (combinations) a filter selects, or undefined for "all". */
async function segmentScope(db: Kysely<Database>, orgId: string, f: ReportFilters): Promise<string[] | undefined> {
  if (!f.segments || Object.keys(f.segments).length === 0) return undefined;
  // The per-segment roll-up: one '*' row per combination (rollups.ts), not a scan of every cell.
  await foldQueued(db, orgId);
  const keys = await db
    .selectFrom('answer_rollups')
    .select('segment_key')
    .where('org_id', '=', orgId)
    .where('grain', '=', 's')
    .where('perspective', '=', 'customer')
    .where('item', '=', '*')
    .execute();
  return keys
    .map((r) => r.segment_key)
    .filter((k) => {
      const seg = parseSegmentKey(k);
      return Object.entries(f.segments!).every(([name, values]) => values.includes(seg[name] ?? ''));
    });
}

export async function loadAggregates(db: Kysely<Database>, orgId: string, f: ReportFilters): Promise<Aggregates> {
  const tps = await touchpointScope(db, orgId, f);
  const segs = await segmentScope(db, orgId, f);
  // Two reads from the smallest roll-up that answers each (rollups.ts): leaders by period only.
  const period = { from: f.from, to: f.to };
  const customersMatchNothing = tps?.length === 0 || segs?.length === 0;
  const [leaderRows, customerRows] = await Promise.all([
    readHistograms(db, orgId, 'leader', period),
    customersMatchNothing ? [] : readHistograms(db, orgId, 'customer', { ...period, touchpoints: tps, segmentKeys: segs }),
  ]);
  const rows = [...leaderRows.map((r) => ({ ...r, perspective: 'leader' })), ...customerRows.map((r) => ({ ...r, perspective: 'customer' }))];
  const out: Aggregates = { leaders: empty(), customers: empty() };
  for (const r of rows) {
    const side = r.perspective === 'leader' ? out.leaders : out.customers;
    const n = Number(r.n);
    if (r.item === '*') side.respondents += n;
    else (side.items[r.item] ??= {})[Number(r.value)] = n;
  }
  return out;
}

/** The customer cut a filter selects: touchpoint keys and segment keys, each undefined for "all". */
export async function customerScope(
  db: Kysely<Database>,
  orgId: string,
  f: ReportFilters,
): Promise<{ touchpoints?: string[]; segments?: string[] }> {
  const [touchpoints, segments] = await Promise.all([touchpointScope(db, orgId, f), segmentScope(db, orgId, f)]);
  return { touchpoints, segments };
}
