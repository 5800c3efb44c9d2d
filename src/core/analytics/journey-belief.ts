// Leaders' belief by touchpoint (issue 11): per touchpoint of the journey, the leaders' mean predicted
// excellence share (`predict:excellent_share@<touchpoint>`, asked of the leaders whose function owns the
// touchpoint) beside the customers' actual excellence share there, and the gap between them.
//  - believed: mean of the leaders' predictions (0–100 answers, reported as a share 0–1) with its t interval
//    and n leaders; withheld below the minimum group size, as every leader figure is;
//  - actual: customers at the touchpoint calling the experience excellent (top two boxes), Wilson interval,
//    on the breakdown-by-touchpoint's anonymity cut (a touchpoint below the minimum is withheld);
//  - gap: believed − actual with a MOVER interval (Zou & Donner 2008; core/analytics/driver-perception.ts),
//    which combines the t and Wilson intervals without assuming both are symmetric.
// A touchpoint no leader predicted says so (believed: null) rather than being an error.
import { z } from 'zod';
import { Interval, Share, Suppressed, shareOf, suppressed, type Histogram, type SideAggregate } from '../gap-report.ts';
import { momentsFromHistogram, tInterval } from '../stats/moments.ts';
import { touchpointPredictionKey } from '../survey.ts';
import { moverDifference } from './driver-perception.ts';

const Believed = z.object({
  n: z.number().int().describe('leaders who predicted this touchpoint'),
  mean: z.number().describe("leaders' mean predicted excellence share, 0–1"),
  sd: z.number(),
  ci95: Interval.nullable().describe('t interval of the mean (null with a single leader)'),
});

export const JourneyBeliefReport = z.object({
  organisation: z.object({ id: z.string(), name: z.string(), industry: z.string() }),
  filters: z.record(z.string(), z.unknown()),
  minResponses: z.number().int(),
  rules: z.object({ believed: z.string(), actual: z.string(), gap: z.string() }),
  hidden: z.object({
    customers: z.string().nullable().describe("why the customers' side is hidden as a whole (null: shown per touchpoint)"),
    leaders: z.string().nullable().describe("why the leaders' side is hidden as a whole (null: shown per touchpoint)"),
  }),
  touchpoints: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      stage: z.string(),
      stageLabel: z.string(),
      department: z.string(),
      believed: z.union([Believed, Suppressed]).nullable().describe('null: no leader predicted this touchpoint'),
      actual: z.union([Share, Suppressed]).describe("customers' excellence share at the touchpoint, Wilson interval"),
      gap: z.number().nullable().describe('believed − actual, share 0–1'),
      gapCi: Interval.nullable().describe('MOVER 95% interval of the gap'),
    }),
  ),
});
export type JourneyBeliefReport = z.infer<typeof JourneyBeliefReport>;

export interface JourneyBeliefInput {
  organisation: { id: string; name: string; industry: string; minResponses: number };
  filters: Record<string, unknown>;
  touchpoints: { key: string; label: string; stage: string; stageLabel: string; department: string }[];
  /** Customers per touchpoint key, within the breakdown's cut. */
  customers: Map<string, SideAggregate>;
  /** All leaders in the period: their per-touchpoint prediction items. */
  leaders: SideAggregate;
  hidden: { customers: string | null; leaders: string | null };
}

const RULES = {
  believed: "leaders' mean predicted excellence share at the touchpoint (0–100 answers as 0–1), t interval; fewer than the minimum: withheld",
  actual: "customers at the touchpoint who agree or strongly agree that the experience is excellent, Wilson interval; fewer than the minimum: withheld",
  gap: 'believed − actual with a MOVER interval (Zou & Donner 2008) from the two intervals',
};

/** Leaders' predictions (0–100) as a share 0–1: the same scale as the customers' share. */
function believedOf(h: Histogram | undefined, k: number): z.infer<typeof Believed> | z.infer<typeof Suppressed> | null {
  const m = h ? momentsFromHistogram(h) : undefined;
  if (!m || m.n === 0) return null;
  if (m.n < k) return { suppressed: true, reason: `fewer than ${k} leaders predicted this touchpoint` };
  const ci = tInterval(m);
  return { n: m.n, mean: m.mean / 100, sd: m.sd / 100, ci95: ci ? [ci[0] / 100, ci[1] / 100] : null };
}

export function journeyBeliefReport(input: JourneyBeliefInput): JourneyBeliefReport {
  const k = input.organisation.minResponses;
  const { hidden } = input;
  const touchpoints = input.touchpoints.map((t) => {
    const c = input.customers.get(t.key);
    const actual = hidden.customers
      ? { suppressed: true as const, reason: hidden.customers }
      : c && c.respondents >= k
        ? shareOf(c.items.excellent, k)
        : suppressed(k);
    const believed = hidden.leaders ? { suppressed: true as const, reason: hidden.leaders } : believedOf(input.leaders.items[touchpointPredictionKey(t.key)], k);
    const both = believed && !('suppressed' in believed) && !('suppressed' in actual);
    const gap = both ? believed.mean - actual.share : null;
    const gapCi = both && believed.ci95 ? moverDifference(believed.mean, believed.ci95, actual.share, actual.ci95) : null;
    return { ...t, believed, actual, gap, gapCi };
  });
  const { id, name, industry } = input.organisation;
  return { organisation: { id, name, industry }, filters: input.filters, minResponses: k, rules: RULES, hidden, touchpoints };
}
