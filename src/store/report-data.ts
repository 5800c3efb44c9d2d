// Reads the sufficient statistics a report needs from the answer-count cells: per perspective, the
// histogram of every item within the filters. Touchpoint and segment filters describe customers;
// leaders answer about all customers, so only the period filter applies to them.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { SideAggregate } from '../core/gap-report.ts';
import { parseSegmentKey } from '../core/survey.ts';

export interface Aggregates {
  leaders: SideAggregate;
  customers: SideAggregate;
}

const empty = (): SideAggregate => ({ respondents: 0, items: {} });

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
  const keys = await db
    .selectFrom('answer_cells')
    .select('segment_key')
    .distinct()
    .where('org_id', '=', orgId)
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
  let q = db
    .selectFrom('answer_cells')
    .select(['perspective', 'item', 'value', (eb) => eb.fn.sum<number>('count').as('n')])
    .where('org_id', '=', orgId);
  if (f.from) q = q.where('month', '>=', f.from);
  if (f.to) q = q.where('month', '<=', f.to);
  if (tps || segs) {
    const customersMatchNothing = tps?.length === 0 || segs?.length === 0;
    q = q.where((eb) => {
      if (customersMatchNothing) return eb('perspective', '=', 'leader');
      const customer = [eb('perspective', '=', 'customer')];
      if (tps) customer.push(eb('touchpoint', 'in', tps));
      if (segs) customer.push(eb('segment_key', 'in', segs));
      return eb.or([eb('perspective', '=', 'leader'), eb.and(customer)]);
    });
  }
  const rows = await q.groupBy(['perspective', 'item', 'value']).execute();
  const out: Aggregates = { leaders: empty(), customers: empty() };
  for (const r of rows) {
    const side = r.perspective === 'leader' ? out.leaders : out.customers;
    const n = Number(r.n);
    if (r.item === '*') side.respondents += n;
    else (side.items[r.item] ??= {})[Number(r.value)] = n;
  }
  return out;
}
