// The driver-perception gap (issue 11; Hult et al., JAMS 2017): do leaders know *what drives* customers'
// view, not only how satisfied customers are?
//
// Per customer dimension:
//  - believed importance: the leaders' mean share of 100 points (`imp:<key>`, a constant-sum question on
//    the mirror survey) with its t interval and n leaders;
//  - actual importance: Johnson's relative weight of the dimension for the customers' outcome, rescaled to
//    shares of 100 (% of R²), with a parametric bootstrap interval (stats/bootstrap-relative-weights.ts);
//  - the difference believed − actual with a MOVER interval (Zou & Donner 2008: each side's own interval
//    recovered into one for the difference, which handles the bootstrap's asymmetric interval). Rule:
//    over-weighted when the whole interval lies above 0, under-weighted when it lies below 0, otherwise
//    in line (the data cannot tell the two apart).
// Across dimensions: Spearman's rho and Kendall's tau-b between the two orders (stats/rank-correlation.ts).
// Blind spots: dimensions customers weight above the mean share (100 / dimensions compared), that leaders
// under-weight by the rule above, and whose level gap (leaders' predicted rating − customers' rating) is
// positive and at least the mean gap: important, neglected and overrated — the place to act first. Without
// the leaders' ratings the gap criterion cannot be applied and the rule says so.
// Per leadership group (a leader segment, `function` by default): the same comparison on the group's
// believed shares; groups smaller than k are pooled as in calibration (core/anonymity.ts poolSmallGroups)
// and a dimension some group answered fewer than k times is withheld in every group (else subtracting
// the other groups from the team would reveal it).
// Missing data: dimensions without a customer question, rated by too few customers (drivers.ts, `leftOut`),
// or without spread among the complete cases, are left out with the reason; leaders' shares are then
// rescaled to the dimensions compared (means of shares can be rescaled; each leader's answers cannot be,
// as only their counts are kept). No leader answers is
// not an error: the customers' side is shown alone and the report says why.
import { z } from 'zod';
import type { Dimension } from '../framework.ts';
import { IMPORTANCE_PREFIX } from '../survey.ts';
import { fixed } from '../number-format.ts';
import { Interval, Suppressed, meanOf, suppressed, total, type Histogram, type SideAggregate } from '../gap-report.ts';
import { momentsFromHistogram, tInterval } from '../stats/moments.ts';
import { bootstrapRelativeWeights } from '../stats/bootstrap-relative-weights.ts';
import { kendall, spearman, type RankCorrelation } from '../stats/rank-correlation.ts';
import { DriverOutcome, leftOutRows, modelDimensions, pairKey, type DriversInput } from './drivers.ts';

/** The leaders' constant-sum answer for a dimension (survey.ts names the prefix). */
export const IMPORTANCE_ITEM = (key: string) => `${IMPORTANCE_PREFIX}${key}`;

export const Verdict = z.enum(['over-weighted', 'under-weighted', 'in line']);
export type Verdict = z.infer<typeof Verdict>;

const Believed = z.object({ n: z.number().int(), mean: z.number(), sd: z.number(), ci95: Interval.nullable() });
const Correlation = z.object({
  estimate: z.number().nullable(),
  ci95: Interval.nullable(),
  pValue: z.number().nullable(),
});
const RankAgreement = z.object({ dimensions: z.number().int(), spearman: Correlation, kendall: Correlation });

export const DriverPerceptionReport = z.object({
  organisation: z.object({ id: z.string(), name: z.string(), industry: z.string() }),
  filters: z.record(z.string(), z.unknown()),
  minResponses: z.number().int(),
  outcome: DriverOutcome,
  rules: z.object({
    believed: z.string(),
    actual: z.string(),
    difference: z.string(),
    rankCorrelation: z.string(),
    blindSpot: z.string(),
  }),
  customers: z.union([
    z.object({ completeCases: z.number().int(), rSquared: z.number(), draws: z.number().int(), caution: z.string().nullable() }),
    Suppressed,
  ]),
  leaders: z.union([z.object({ answered: z.number().int(), rescaled: z.boolean().describe("leaders' shares rescaled to the dimensions compared") }), Suppressed]),
  dimensions: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      believed: z.union([Believed, Suppressed]).describe("leaders' mean share of 100 points"),
      actual: z.object({ share: z.number(), ci95: Interval }).nullable().describe('relative weight as a share of 100 (% of R²), bootstrap interval'),
      difference: z.number().nullable().describe('believed − actual, points of 100'),
      differenceCi: Interval.nullable(),
      verdict: Verdict.nullable(),
      levelGap: z.number().nullable().describe("leaders' predicted rating − customers' mean rating (1–5)"),
      rankBelieved: z.number().nullable(),
      rankActual: z.number().nullable(),
    }),
  ),
  excluded: z.array(z.object({ key: z.string(), label: z.string(), reason: z.string() })),
  rankCorrelation: z.union([RankAgreement, Suppressed]),
  blindSpots: z.array(
    z.object({ key: z.string(), label: z.string(), actual: z.number(), believed: z.number(), levelGap: z.number().nullable(), sentence: z.string() }),
  ),
  groups: z.union([
    z.object({
      groupBy: z.string(),
      rows: z.array(
        z.object({
          group: z.string().describe('the group value, or several joined with " + " when pooled'),
          pooled: z.boolean(),
          leaders: z.number().int(),
          dimensions: z.array(z.object({ key: z.string(), believed: z.union([Believed, Suppressed]), difference: z.number().nullable(), verdict: Verdict.nullable() })),
          rankCorrelation: z.union([RankAgreement, Suppressed]),
          overWeighted: z.array(z.string()),
          underWeighted: z.array(z.string()),
        }),
      ),
    }),
    Suppressed,
  ]),
  summary: z.string(),
});
export type DriverPerceptionReport = z.infer<typeof DriverPerceptionReport>;

/** The drivers report's inputs (the model's sums, both sides' answers), with leadership groups instead of touchpoints. */
export interface DriverPerceptionInput extends Omit<DriversInput, 'touchpoints' | 'hidden'> {
  groupBy: string;
  groups: { members: string[]; side: SideAggregate }[];
  hidden: { customers: string | null; leaders: string | null; groups: string | null };
  bootstrap?: { draws?: number; seed?: number };
}

export const RULES = {
  believed: "leaders' mean share of 100 points with its t interval (constant-sum question imp:<dimension>)",
  actual:
    "Johnson's relative weight of the dimension for the customers' outcome as a share of R² (of 100), with a 95% parametric bootstrap interval " +
    '(covariance matrices drawn from the Wishart distribution of the complete cases; percentile interval)',
  difference:
    'believed − actual with a 95% MOVER interval (Zou & Donner) from the two intervals: over-weighted when the interval lies above 0, ' +
    'under-weighted when below 0, otherwise in line',
  rankCorrelation: "Spearman's rho and Kendall's tau-b between the two orders of the dimensions, 95% Fisher-z intervals with Bonett–Wright standard errors",
};

const round = (x: number, d = 0) => Number(x.toFixed(d));

/** A believed share: mean of the leaders' points (rescaled by `factor`) with its t interval; withheld below k answers. */
function believedOf(h: Histogram | undefined, min: number, factor: number): z.infer<typeof Believed> | z.infer<typeof Suppressed> {
  const m = meanOf(h, min);
  if ('suppressed' in m) return m;
  const ci = tInterval(momentsFromHistogram(h!));
  return { n: m.n, mean: m.mean * factor, sd: m.sd * factor, ci95: ci ? [ci[0] * factor, ci[1] * factor] : null };
}

/** MOVER interval of θ1 − θ2 from each side's own interval (Zou & Donner 2008). */
export function moverDifference(t1: number, ci1: readonly [number, number], t2: number, ci2: readonly [number, number]): [number, number] {
  const d = t1 - t2;
  return [d - Math.hypot(t1 - ci1[0], ci2[1] - t2), d + Math.hypot(ci1[1] - t1, t2 - ci2[0])];
}

const verdictOf = (ci: [number, number] | null): Verdict | null => (ci === null ? null : ci[0] > 0 ? 'over-weighted' : ci[1] < 0 ? 'under-weighted' : 'in line');

/** Ranks, 1 = largest; ties share the better rank. */
const ranksDesc = (xs: number[]) => xs.map((x) => 1 + xs.filter((y) => y > x).length);

const finite = (x: number) => (Number.isFinite(x) ? x : null);
function agreement(believed: number[], actual: number[]): z.infer<typeof RankAgreement> | z.infer<typeof Suppressed> {
  if (believed.length < 3) return { suppressed: true, reason: `${believed.length} dimensions with both sides: a rank correlation needs at least 3` };
  const pack = (r: RankCorrelation) => ({ estimate: finite(r.estimate), ci95: r.ci95, pValue: r.pValue });
  return { dimensions: believed.length, spearman: pack(spearman(believed, actual)), kendall: pack(kendall(believed, actual)) };
}

const describeRho = (r: number) =>
  r >= 0.7 ? 'agrees closely with' : r >= 0.4 ? 'agrees moderately with' : r > 0.1 ? 'agrees weakly with' : r >= -0.1 ? 'hardly agrees with' : 'runs against';

export function driverPerceptionReport(input: DriverPerceptionInput): DriverPerceptionReport {
  const { organisation: org, hidden } = input;
  const min = org.minResponses;
  const hide = (reason: string | null) => (reason ? { suppressed: true as const, reason } : suppressed(min));
  // The dimensions of the customers' model: those too few customers rated are left out (driver-subset.ts).
  const { modelled: dims } = modelDimensions(input.framework, input.leftOut);
  const excluded: DriverPerceptionReport['excluded'] = [
    ...input.framework
      .filter((d) => d.customerItem === null)
      .map((d) => ({ key: d.key, label: d.label, reason: 'customers are not asked about it, so it has no customer importance' })),
    ...leftOutRows(input.framework, input.leftOut).map((l) => ({ key: l.key, label: l.label, reason: `too few customers rated it: ${l.reason}` })),
  ];

  // Customers: relative weights with bootstrap intervals, from the complete cases' sums.
  const n = input.sums.n;
  const predictors = dims.map((d) => `dim:${d.key}`);
  let customers: DriverPerceptionReport['customers'];
  type Actual = { share: number; ci95: [number, number] };
  let actual: (Actual | null)[] | null = null;
  if (hidden.customers) customers = hide(hidden.customers);
  else if (dims.length < 2) customers = { suppressed: true, reason: 'fewer than two customer dimensions: there is nothing to split importance among' };
  else if (n < min || n < predictors.length + 2) {
    customers = { suppressed: true, reason: `${n} complete cases: the model needs at least ${Math.max(min, predictors.length + 2)}` };
  } else {
    const vars = [...predictors, input.outcome];
    const sums = vars.map((v) => input.sums.sums.get(v) ?? 0);
    const cross = vars.map((a) => vars.map((b) => input.sums.cross.get(pairKey(a, b)) ?? 0));
    try {
      const b = bootstrapRelativeWeights(n, sums, cross, input.bootstrap);
      actual = b.rescaled.map((share, j) => ({ share, ci95: b.rescaledCi[j]! }));
      customers = {
        completeCases: n,
        rSquared: b.rSquared,
        draws: b.draws,
        caution: n < 10 * predictors.length ? `fewer than 10 complete cases per dimension (${n} for ${predictors.length}): importances are unstable` : null,
      };
      // A dimension whose complete-case ratings do not vary carries no information about importance.
      dims.forEach((d, j) => {
        const ss = cross[j]![j]! - (sums[j]! * sums[j]!) / n;
        if (!(ss > 1e-12 * Math.abs(cross[j]![j]!))) {
          excluded.push({ key: d.key, label: d.label, reason: 'every complete case gives it the same rating, so its importance cannot be estimated' });
          actual![j] = null;
        }
      });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      customers = { suppressed: true, reason: `no importance can be estimated: ${e.message}` };
    }
  }
  if (!actual) for (const d of dims) excluded.push({ key: d.key, label: d.label, reason: `customers' importance is not available (${(customers as { reason: string }).reason})` });
  const compared = actual ? dims.filter((_, j) => actual![j] !== null) : [];
  const actualOf = (key: string) => (actual ? actual[dims.findIndex((d) => d.key === key)] ?? null : null);
  if (actual && compared.length < dims.length) {
    // Shares of 100 among the dimensions compared.
    const total = compared.reduce((s, d) => s + actualOf(d.key)!.share, 0);
    const f = total > 0 ? 100 / total : 0;
    actual = actual.map((a): Actual | null => (a ? { share: a.share * f, ci95: [a.ci95[0] * f, a.ci95[1] * f] } : null));
  }
  const rowsFor = actual ? compared : dims;

  // Leaders: mean shares over the dimensions compared, rescaled when some dimensions are left out.
  const leadersHidden = hidden.leaders ?? null;
  const answered = Math.max(0, ...rowsFor.map((d) => Object.values(input.leaders.items[IMPORTANCE_ITEM(d.key)] ?? {}).reduce((s, c) => s + c, 0)));
  const factorFor = (side: SideAggregate) => {
    const means = rowsFor.map((d) => {
      const h = side.items[IMPORTANCE_ITEM(d.key)];
      return h && Object.keys(h).length ? momentsFromHistogram(h).mean : 0;
    });
    const total = means.reduce((s, x) => s + x, 0);
    return total > 0 ? 100 / total : 1;
  };
  let leaders: DriverPerceptionReport['leaders'];
  if (leadersHidden) leaders = hide(leadersHidden);
  else if (answered === 0) leaders = { suppressed: true, reason: 'no leader has answered the importance question (share 100 points across the dimensions) in this period' };
  else if (answered < min) leaders = suppressed(min);
  else leaders = { answered, rescaled: Math.abs(factorFor(input.leaders) - 1) > 1e-9 };
  const leadersShown = !('suppressed' in leaders);
  const factor = leadersShown ? factorFor(input.leaders) : 1;

  const levelGapOf = (key: string): number | null => {
    if (hidden.customers || !leadersShown) return null;
    const c = meanOf(input.customers.items[`dim:${key}`], min);
    const l = meanOf(input.leaders.items[`dim:${key}`], min);
    return 'suppressed' in c || 'suppressed' in l ? null : l.mean - c.mean;
  };

  const compare = (side: SideAggregate, f: number, show: boolean) =>
    rowsFor.map((d) => {
      const believed = show ? believedOf(side.items[IMPORTANCE_ITEM(d.key)], min, f) : hide(leadersHidden ?? (leaders as { reason: string }).reason ?? null);
      const a = actualOf(d.key);
      const both = a && !('suppressed' in believed);
      const differenceCi = both && believed.ci95 ? moverDifference(believed.mean, believed.ci95, a.share, a.ci95) : null;
      return { key: d.key, label: d.label, believed, actual: a, difference: both ? believed.mean - a.share : null, differenceCi, verdict: verdictOf(differenceCi) };
    });

  const base = compare(input.leaders, factor, leadersShown);
  const withBoth = base.filter((r) => r.difference !== null);
  const believedMeans = withBoth.map((r) => (r.believed as { mean: number }).mean);
  const actualShares = withBoth.map((r) => r.actual!.share);
  const rb = ranksDesc(believedMeans);
  const ra = ranksDesc(actualShares);
  const dimensions: DriverPerceptionReport['dimensions'] = base.map((r) => {
    const i = withBoth.indexOf(r);
    return { ...r, levelGap: levelGapOf(r.key), rankBelieved: i >= 0 ? rb[i]! : null, rankActual: i >= 0 ? ra[i]! : null };
  });
  const rankCorrelation = leadersShown
    ? agreement(believedMeans, actualShares)
    : hide(leadersHidden ?? (leaders as { reason: string }).reason);

  // Blind spots.
  const meanShare = compared.length ? 100 / compared.length : 0;
  const gaps = dimensions.map((d) => d.levelGap).filter((g): g is number => g !== null);
  const gapApplied = gaps.length === dimensions.length && gaps.length > 0;
  const meanGap = gapApplied ? gaps.reduce((s, g) => s + g, 0) / gaps.length : null;
  const blindSpotRule =
    `customers' share above the mean share (${meanShare.toFixed(1)} of 100), leaders under-weight it (the difference's interval lies below 0)` +
    (meanGap === null
      ? "; the level-gap criterion is not applied because leaders' or customers' ratings are withheld"
      : `, and leaders rate it above customers by at least the mean level gap (${meanGap.toFixed(2)} points, and above 0)`);
  const blindSpots = dimensions
    .filter((d) => d.actual && d.actual.share > meanShare && d.verdict === 'under-weighted' && (meanGap === null || (d.levelGap !== null && d.levelGap > 0 && d.levelGap >= meanGap)))
    .sort((a, b) => a.difference! - b.difference!)
    .map((d) => {
      const b = d.believed as { mean: number; ci95: [number, number] | null };
      const ci = (c: readonly [number, number] | null) => (c ? ` (95% CI ${round(c[0])}–${round(c[1])})` : '');
      return {
        key: d.key,
        label: d.label,
        actual: d.actual!.share,
        believed: b.mean,
        levelGap: d.levelGap,
        sentence:
          `Customers give ${d.label} ${round(d.actual!.share)} of 100 points of importance${ci(d.actual!.ci95)}; leaders give it ${round(b.mean)}${ci(b.ci95)}` +
          (d.levelGap !== null ? `, and leaders rate it ${d.levelGap.toFixed(1)} points higher than customers do.` : '.'),
      };
    });

  // Leadership groups.
  let groups: DriverPerceptionReport['groups'];
  if (hidden.groups) groups = hide(hidden.groups);
  else if (!leadersShown) groups = hide(leadersHidden ?? (leaders as { reason: string }).reason);
  else if (input.groups.some((g) => g.side.respondents < min)) {
    // Blocks arrive pooled to at least k; should one not, showing the others would give it away by subtraction.
    groups = { suppressed: true, reason: `a ${input.groupBy} group has fewer than ${min} leaders, so no group is shown (the others would reveal it by subtraction from the team)` };
  } else {
    // A dimension that some group answered fewer than k times (but not never) would be revealed by
    // subtracting the other groups from the team's figure: it is withheld in every group.
    const answers = (side: SideAggregate, key: string) => total(side.items[IMPORTANCE_ITEM(key)]);
    const unsafe = new Set(rowsFor.filter((d) => input.groups.some((g) => answers(g.side, d.key) > 0 && answers(g.side, d.key) < min)).map((d) => d.key));
    const unsafeReason = `some ${input.groupBy} group has fewer than ${min} answers for it; the others would reveal it by subtraction from the team`;
    groups = {
      groupBy: input.groupBy,
      rows: input.groups
        .map((g) => {
          const rows = compare(g.side, factorFor(g.side), true).map((r) =>
            unsafe.has(r.key) ? { ...r, believed: { suppressed: true as const, reason: unsafeReason }, difference: null, differenceCi: null, verdict: null } : r,
          );
          const both = rows.filter((r) => r.difference !== null);
          return {
            group: g.members.join(' + '),
            pooled: g.members.length > 1,
            leaders: g.side.respondents,
            dimensions: rows.map((r) => ({ key: r.key, believed: r.believed, difference: r.difference, verdict: r.verdict })),
            rankCorrelation: agreement(
              both.map((r) => (r.believed as { mean: number }).mean),
              both.map((r) => r.actual!.share),
            ),
            overWeighted: rows.filter((r) => r.verdict === 'over-weighted').map((r) => r.label),
            underWeighted: rows.filter((r) => r.verdict === 'under-weighted').map((r) => r.label),
          };
        }),
    };
  }

  return {
    organisation: { id: org.id, name: org.name, industry: org.industry },
    filters: input.filters,
    minResponses: min,
    outcome: input.outcome,
    rules: { ...RULES, blindSpot: blindSpotRule },
    customers,
    leaders,
    dimensions,
    excluded,
    rankCorrelation,
    blindSpots,
    groups,
    summary: summaryOf(customers, leaders, dimensions, rankCorrelation, blindSpots),
  };
}

/** "a, b and c"; labels that hold a comma themselves are separated by semicolons, so the list still reads. */
const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(xs.some((x) => x.includes(',')) ? '; ' : ', ')} and ${xs[xs.length - 1]}`);

function summaryOf(
  customers: DriverPerceptionReport['customers'],
  leaders: DriverPerceptionReport['leaders'],
  dims: DriverPerceptionReport['dimensions'],
  rank: DriverPerceptionReport['rankCorrelation'],
  blind: DriverPerceptionReport['blindSpots'],
): string {
  if ('suppressed' in customers) return `Customers' drivers cannot be shown: ${customers.reason}.`;
  const top = [...dims].filter((d) => d.actual).sort((a, b) => b.actual!.share - a.actual!.share)[0];
  const topText = top ? `${top.label} drives customers' view most (${round(top.actual!.share)} of 100 points).` : '';
  if ('suppressed' in leaders) return `${topText} Leaders' beliefs are not shown: ${leaders.reason}.`.trim();
  // Largest differences first; a long list is cut to three and a count (the table has the rest).
  const named = (verdict: Verdict, sign: number) => {
    const xs = dims.filter((d) => d.verdict === verdict).sort((a, b) => sign * (b.difference! - a.difference!)).map((d) => d.label);
    return xs.length > 3 ? [...xs.slice(0, 3), `${xs.length - 3} more`] : xs;
  };
  const over = named('over-weighted', 1);
  const under = named('under-weighted', -1);
  const parts = [topText];
  if (!('suppressed' in rank) && rank.spearman.estimate !== null) {
    const r = rank.spearman;
    parts.push(
      // An interval that spans 0 cannot tell agreement from chance (few dimensions): say that, not a strength.
      `Leaders' order of what matters ${r.ci95 && r.ci95[0] < 0 && r.ci95[1] > 0 ? 'shows no clear agreement with' : describeRho(r.estimate!)} customers' (Spearman ρ = ${fixed(r.estimate!, 2)}` +
        (r.ci95 ? `, 95% CI ${fixed(r.ci95[0], 2)} to ${fixed(r.ci95[1], 2)}` : '') +
        `, ${rank.dimensions} dimensions).`,
    );
  }
  if (over.length || under.length) {
    if (over.length) parts.push(`Leaders over-weight ${list(over)}.`);
    if (under.length) parts.push(`${over.length ? 'They' : 'Leaders'} under-weight ${list(under)}.`);
  } else parts.push("No dimension's believed importance differs clearly from customers' (the intervals overlap).");
  if (blind.length) parts.push(`Blind spot${blind.length > 1 ? 's' : ''} to act on first: ${list(blind.map((b) => b.label))}.`);
  return parts.join(' ');
}
