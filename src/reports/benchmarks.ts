// The peer-benchmarks report: the organisation against the quartiles of its industry's organisations.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { benchmarksReport, type BenchmarksReport, type OrgFigures } from '../core/analytics/benchmarks.ts';
import { organisationsOfIndustry } from '../store/analytics-data.ts';
import { type ReportContext, reportContext, customerCut, leaderCut, sideOf, orgOf } from './report-context.ts';

type Db = Kysely<Database>;

/** An organisation's all-time sides, cut exactly as its unfiltered gap report is (rare values withheld). */
async function unfilteredFigures(db: Db, ctx: ReportContext): Promise<OrgFigures> {
  const k = ctx.org.minResponses;
  const [customers, leaders] = await Promise.all([sideOf(db, ctx.org.id, 'customer', customerCut(ctx, {}), k), sideOf(db, ctx.org.id, 'leader', leaderCut(ctx, {}), k)]);
  return { minResponses: k, customers, leaders };
}

export async function benchmarksFor(db: Db, orgId: string): Promise<BenchmarksReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const own = await unfilteredFigures(db, ctx);
  const others = (await organisationsOfIndustry(db, ctx.org.industry)).filter((id) => id !== orgId);
  // Each peer's figure as its own unfiltered report shows it: its rare values withheld, its minimum applied.
  const peers: OrgFigures[] = [];
  for (const id of others) {
    const pctx = await reportContext(db, id);
    if (pctx) peers.push(await unfilteredFigures(db, pctx));
  }
  return benchmarksReport({ organisation: orgOf(ctx.org), own, peers });
}
