// What every report of an organisation starts from, and the cuts every report — the gap report, the
// analytics and the verbatims — is computed on: each report asks core/anonymity.ts which cells it may use
// and whether it may be shown at all, then reads only those cells' aggregates (src/store).
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Dimension } from '../core/framework.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { SideAggregate } from '../core/gap-report.ts';
import { tooFew, type Attribute, type CellCount, type Cut } from '../core/anonymity.ts';
import { cachedContext, memoCut } from '../store/cell-cache.ts';
import { getFramework, getOrganisation, type Organisation } from '../store/organisations.ts';
import { emptySide, foldHistograms, journeyIndex, loadCellCounts, loadHistograms, type TouchpointInfo } from '../store/analytics-data.ts';

type Db = Kysely<Database>;

/** What every report of one organisation needs first: the organisation and its cells' respondent counts. */
export interface ReportContext {
  org: Organisation;
  framework: Dimension[];
  touchpoints: Map<string, TouchpointInfo>;
  stages: Map<string, string>;
  stageOf: (tp: string) => string;
  customerCells: CellCount[];
  leaderCells: CellCount[];
}

export async function reportContext(db: Db, orgId: string): Promise<ReportContext | undefined> {
  // Built once per version of the organisation's data and settings, shared by the reports: read-only.
  return cachedContext(db, orgId, async () => {
    const org = await getOrganisation(db, orgId);
    if (!org) return undefined;
    const [framework, journey, customerCells, leaderCells] = await Promise.all([
      getFramework(db, orgId),
      journeyIndex(db, orgId),
      loadCellCounts(db, orgId, 'customer'),
      loadCellCounts(db, orgId, 'leader'),
    ]);
    return { org, framework, ...journey, customerCells, leaderCells };
  });
}

/** Touchpoint, stage and segment filters describe customers; leaders answer about all customers. */
export const periodOnly = (f: ReportFilters): ReportFilters => ({ ...(f.from ? { from: f.from } : {}), ...(f.to ? { to: f.to } : {}) });

export function customerCut(ctx: ReportContext, filters: ReportFilters, breakdown: Attribute[] = []): Cut {
  // memoCut: anonymity's cut(), remembered while the cells are unchanged (cell-cache.ts).
  return memoCut(ctx.customerCells, filters, { k: ctx.org.minResponses, stageOf: ctx.stageOf, withholdRare: true }, breakdown);
}

export function leaderCut(ctx: ReportContext, filters: ReportFilters, breakdown: Attribute[] = []): Cut {
  const k = ctx.org.minResponses;
  const c = memoCut(ctx.leaderCells, periodOnly(filters), { k, stageOf: ctx.stageOf, withholdRare: false }, breakdown);
  if (c.visible || c.reason === tooFew(k)) return c;
  const by = c.attributes.map((a) => (a.startsWith('segment:') ? a.slice('segment:'.length) : a)).join(' and ');
  return { ...c, reason: `leaders are too few per ${by} to be shown by ${by} without singling one out (fewer than ${k} in some ${by})` };
}

/**
 * Why a side is hidden as a whole (the table rule), or null: a cut that is merely too small is left to
 * the report, which says "fewer than k respondents" figure by figure.
 */
export function hiddenReason(c: Cut, k: number): string | null {
  return c.visible || c.reason === tooFew(k) ? null : c.reason;
}

/** A side's histograms within a cut; nothing is read for a cut that may not be shown. */
export async function sideOf(db: Db, orgId: string, perspective: 'customer' | 'leader', c: Cut, k: number): Promise<SideAggregate> {
  if (hiddenReason(c, k)) return emptySide();
  return foldHistograms(await loadHistograms(db, orgId, perspective, c.scope)).get('') ?? emptySide();
}

/** The organisation as every report names it. */
export const orgOf = (o: Organisation) => ({ id: o.id, name: o.name, industry: o.industry, minResponses: o.minResponses });
