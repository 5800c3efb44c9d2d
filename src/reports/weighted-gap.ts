// The gap report's customer figures post-stratified (issue 12): for the customers who answered one
// campaign, the excellence share, each dimension's mean and the NPS, unweighted and weighted beside each
// other, with weights that make those respondents match the campaign's delivered invitations over one
// attribute (a declared segment or the touchpoint) or the cross of two (core/post-stratification.ts).
//
// Why only a campaign's respondents: post-stratification needs the population each respondent was drawn
// from, and only a campaign knows whom it asked. A customer who answered through an open link has no
// invitation, so the invited contacts are not their population; mixing them in would weight people to a
// frame they were never in. Strata come from the contact's attributes on both sides (the same source,
// so every respondent falls in a stratum of the population).
//
// Anonymity: respondents are those the report's cut admits (report-context.ts, with the weighting
// attributes as its breakdown, so the organisation-wide table over them must be safe and rare values stay
// withheld); strata hold at least k respondents (smaller ones pooled), and a weighted figure is shown only
// when every stratum has no answer to it or at least k — otherwise the weighted and unweighted figures
// together would give a small stratum's mean away.
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { Attribute } from '../core/anonymity.ts';
import { customerDimensions } from '../core/framework.ts';
import { countWhere, isTopTwo, meanOf, shareOf, total, Interval, Suppressed, type Histogram } from '../core/gap-report.ts';
import { npsFromCounts, tInterval } from '../core/stats/index.ts';
import { NO_VALUE } from '../core/nonresponse.ts';
import { MAX_WEIGHT, postStratify, weightedMean, weightedNps, weightedShare, type WeightedCell } from '../core/post-stratification.ts';
import { getCampaign, weightingUnits, type WeightingUnit } from '../store/campaigns.ts';
import { getSegmentDeclarations } from '../store/segments.ts';
import { readAnswers } from '../store/answers.ts';
import { customerCut, hiddenReason, reportContext, type ReportContext } from './report-context.ts';

/** A request the report cannot answer, naming the query field at fault. */
export class WeightingInputError extends Error {
  constructor(
    public readonly field: 'weightBy' | 'attribute',
    message: string,
  ) {
    super(message);
  }
}

/** How many attributes may be crossed. */
export const MAX_WEIGHTING_ATTRIBUTES = 2;
/** Joins the values of a cross cell. */
export const CROSS = ' × ';

const ShareFig = z.object({ n: z.number().int(), share: z.number(), ci95: Interval });
const WShareFig = ShareFig.extend({ se: z.number(), effectiveN: z.number() });
const MeanFig = z.object({ n: z.number().int(), mean: z.number(), ci95: Interval.nullable() });
const WMeanFig = MeanFig.extend({ se: z.number(), effectiveN: z.number() });
const NpsFig = z.object({ n: z.number().int(), score: z.number(), moe95: z.number(), ci95: Interval });
const WNpsFig = NpsFig.extend({ effectiveN: z.number() });
const pair = <A extends z.ZodTypeAny, B extends z.ZodTypeAny>(u: A, w: B) => z.object({ unweighted: z.union([u, Suppressed]), weighted: z.union([w, Suppressed]) });

export const WeightedGap = z.object({
  campaign: z.object({ id: z.string(), name: z.string() }),
  attributes: z.array(z.string()),
  weighting: z.union([
    z.object({
      population: z.number().int().describe('delivered invitations in the report filters (the period filter does not apply to them)'),
      respondents: z.number().int(),
      effectiveSampleSize: z.number().describe("Kish's (Σw)² / Σw²"),
      designEffect: z.number(),
      trimmed: z.boolean().describe(`whether a weight was capped at ${MAX_WEIGHT} (five times the mean weight)`),
      strata: z.array(
        z.object({
          values: z.array(z.string()).describe('the values pooled into this stratum (cross cells joined by " × ")'),
          invited: z.number().int(),
          respondents: z.number().int(),
          populationShare: z.number(),
          sampleShare: z.number(),
          untrimmedWeight: z.number(),
          weight: z.number(),
          weightedShare: z.number(),
        }),
      ),
      unrepresented: z.array(z.object({ value: z.string(), invited: z.number().int() })).describe('values invited but answered by nobody: left out of the population shares'),
    }),
    Suppressed,
  ]),
  headline: pair(ShareFig, WShareFig),
  dimensions: z.array(z.object({ key: z.string(), label: z.string() }).extend(pair(MeanFig, WMeanFig).shape)),
  nps: pair(NpsFig, WNpsFig),
});
export type WeightedGap = z.infer<typeof WeightedGap>;

/** `campaign:<id>` → the id. */
export function parseWeightBy(s: string): string {
  const m = /^campaign:([A-Za-z0-9_-]{1,40})$/.exec(s.trim());
  if (!m) throw new WeightingInputError('weightBy', 'must be campaign:<campaign id>');
  return m[1]!;
}

/** Whether a delivered invitation lies inside the report's touchpoint, stage and segment filters. */
function inFilters(attrs: Record<string, string>, f: ReportFilters, stageOf: (tp: string) => string): boolean {
  const tp = attrs.touchpoint ?? '';
  if (f.touchpoints && !f.touchpoints.includes(tp)) return false;
  if (f.stage && stageOf(tp) !== f.stage) return false;
  for (const [seg, values] of Object.entries(f.segments ?? {})) if (!values.includes(attrs[seg] ?? '')) return false;
  return true;
}

const cellKey = (month: string, touchpoint: string, segmentKey: string) => `${month}\u0000${touchpoint}\u0000${segmentKey}`;

/**
 * The weighted gap figures of one campaign's respondents, weighted by `attributes` (segment keys or
 * "touchpoint"), within the report's filters. undefined: no such organisation.
 */
export async function weightedGapFor(db: Kysely<Database>, orgId: string, campaignId: string, attributes: readonly string[], filters: ReportFilters): Promise<WeightedGap | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const campaign = await getCampaign(db, orgId, campaignId);
  if (!campaign) throw new WeightingInputError('weightBy', `no campaign "${campaignId}"`);
  if (campaign.perspective !== 'customer') throw new WeightingInputError('weightBy', `"${campaignId}" sends the leader survey: weights are for customers`);
  const declared = new Set((await getSegmentDeclarations(db, orgId)).map((d) => d.key));
  if (attributes.length === 0 || attributes.length > MAX_WEIGHTING_ATTRIBUTES) throw new WeightingInputError('attribute', `give one attribute, or two to weight by their cross`);
  if (new Set(attributes).size !== attributes.length) throw new WeightingInputError('attribute', 'names the same attribute twice');
  for (const a of attributes) if (a !== 'touchpoint' && !declared.has(a)) throw new WeightingInputError('attribute', `"${a}" is neither a declared segment nor "touchpoint"`);

  const k = ctx.org.minResponses;
  const head = { campaign: { id: campaign.id, name: campaign.name }, attributes: [...attributes] };
  const breakdown = attributes.map((a): Attribute => (a === 'touchpoint' ? 'touchpoint' : `segment:${a}`));
  const c = customerCut(ctx, filters, breakdown);
  const hidden = hiddenReason(c, k);
  if (hidden) return { ...head, ...allSuppressed(ctx, hidden) };
  const allowed = new Set(c.cells.map((x) => cellKey(x.month, x.touchpoint, x.segmentKey)));

  const stratumOf = (u: WeightingUnit) => attributes.map((a) => (Object.hasOwn(u.attributes, a) ? u.attributes[a]! : NO_VALUE)).join(CROSS);
  const population = (await weightingUnits(db, orgId, campaign.id)).filter((u) => inFilters(u.attributes, filters, ctx.stageOf));
  const respondents = population.filter((u) => u.response && allowed.has(cellKey(u.response.month, u.response.touchpoint, u.response.segmentKey)));
  const count = (us: WeightingUnit[]) => {
    const m = new Map<string, number>();
    for (const u of us) m.set(stratumOf(u), (m.get(stratumOf(u)) ?? 0) + 1);
    return m;
  };
  const w = postStratify(count(population), count(respondents), k, { cross: attributes.length > 1 });

  // Per stratum block and item: the histogram of answers.
  const answers = await readAnswers(db, orgId, respondents.map((u) => u.response!.id));
  const blockOf = new Map<string, number>();
  if (w.ok) w.strata.forEach((s, i) => s.values.forEach((v) => blockOf.set(v, i)));
  const items = ['excellent', 'nps', ...customerDimensions(ctx.framework).map((d) => `dim:${d.key}`)];
  const perBlock = new Map(items.map((it) => [it, (w.ok ? w.strata : []).map(() => new Map<number, number>())]));
  const merged = new Map(items.map((it) => [it, Object.create(null) as Histogram]));
  for (const u of respondents) {
    const a = answers.get(u.response!.id)!;
    const b = blockOf.get(stratumOf(u));
    for (const it of items) {
      const v = a[it];
      if (v === undefined) continue;
      const h = merged.get(it)!;
      h[v] = (h[v] ?? 0) + 1;
      if (b !== undefined) perBlock.get(it)![b]!.set(v, (perBlock.get(it)![b]!.get(v) ?? 0) + 1);
    }
  }
  // A weighted figure needs each stratum's answers to be none or at least k (module comment).
  const cells = (it: string): WeightedCell[] | { suppressed: true; reason: string } => {
    if (!w.ok) return { suppressed: true, reason: w.reason };
    const hs = perBlock.get(it)!;
    const sizes = hs.map((h) => [...h.values()].reduce((x, y) => x + y, 0));
    if (sizes.some((n) => n > 0 && n < k)) return { suppressed: true, reason: `a weighting group has fewer than ${k} answers to this question` };
    return w.strata.map((s, i) => ({ weight: s.weight, histogram: hs[i]! }));
  };
  const tooFew = { suppressed: true as const, reason: `fewer than ${k} respondents` };
  const weighted = <T>(it: string, f: (cs: WeightedCell[]) => T | null) => {
    const cs = cells(it);
    if (!Array.isArray(cs)) return cs;
    if (cs.reduce((n, x) => n + [...x.histogram.values()].reduce((a, b) => a + b, 0), 0) < k) return tooFew;
    return f(cs) ?? tooFew;
  };

  const meanFig = (h: Histogram) => {
    const m = meanOf(h, k);
    return 'suppressed' in m ? m : { n: m.n, mean: m.mean, ci95: tInterval(m) };
  };
  const npsFig = (h: Histogram) => {
    const n = total(h);
    if (n < k || n === 0) return tooFew;
    const promoters = countWhere(h, (v) => v >= 9);
    const detractors = countWhere(h, (v) => v <= 6);
    const r = npsFromCounts({ promoters, passives: n - promoters - detractors, detractors });
    return { n: r.n, score: r.score, moe95: r.moe95, ci95: r.ci95 };
  };

  return {
    ...head,
    weighting: w.ok
      ? {
          population: population.length,
          respondents: w.respondents,
          effectiveSampleSize: w.effectiveSampleSize,
          designEffect: w.designEffect,
          trimmed: w.trimmed,
          strata: w.strata,
          unrepresented: w.unrepresented,
        }
      : { suppressed: true, reason: w.reason },
    headline: { unweighted: shareOf(merged.get('excellent'), k), weighted: weighted('excellent', (cs) => weightedShare(cs, isTopTwo)) },
    dimensions: customerDimensions(ctx.framework).map((d) => ({
      key: d.key,
      label: d.label,
      unweighted: meanFig(merged.get(`dim:${d.key}`)!),
      weighted: weighted(`dim:${d.key}`, weightedMean),
    })),
    nps: { unweighted: npsFig(merged.get('nps')!), weighted: weighted('nps', weightedNps) },
  };
}

function allSuppressed(ctx: ReportContext, reason: string): Omit<WeightedGap, 'campaign' | 'attributes'> {
  const s = { suppressed: true as const, reason };
  return {
    weighting: s,
    headline: { unweighted: s, weighted: s },
    dimensions: customerDimensions(ctx.framework).map((d) => ({ key: d.key, label: d.label, unweighted: s, weighted: s })),
    nps: { unweighted: s, weighted: s },
  };
}
