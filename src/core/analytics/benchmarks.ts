// Benchmarks: the published perception-gap and NPS figures for the organisation's industry (with source
// and year, core/benchmarks.ts) beside its own headline and NPS, and — when the installation holds enough
// organisations of the same industry — anonymised peer benchmarks: the quartiles of the other
// organisations' customer excellence share, NPS and gap, with the requesting organisation placed among them.
//
// Peer anonymity: a peer contributes a figure only when that figure is visible under its own minimum
// (customers, and leaders for the gap), and a peer figure is shown only when at least MIN_PEERS (5)
// organisations other than the requester contribute it; fewer, and not even their number is shown. Only
// quartiles (numpy's default linear interpolation) and the requester's percentile among peers are shown,
// never a peer's name, count of respondents, minimum or maximum.
import { z } from 'zod';
import { INDUSTRIES, gapBenchmarks, npsBenchmark } from '../benchmarks.ts';
import { Share, Suppressed, countWhere, shareOf, suppressed, total, type SideAggregate } from '../gap-report.ts';
import { npsFromCounts } from '../stats/index.ts';

export const MIN_PEERS = 5;

const Quartiles = z.object({
  organisations: z.number().int(),
  q1: z.number(),
  median: z.number(),
  q3: z.number(),
  own: z.number().nullable(),
  ownPercentile: z.number().nullable().describe('% of peers below the own value (ties count half)'),
});
const PeerFigure = z.union([Quartiles, Suppressed]);

export const BenchmarksReport = z.object({
  organisation: z.object({ id: z.string(), name: z.string(), industry: z.string() }),
  industry: z.object({ key: z.string(), label: z.string() }),
  minResponses: z.number().int(),
  own: z.object({
    leaders: z.union([Share, Suppressed]),
    customers: z.union([Share, Suppressed]),
    gap: z.number().nullable(),
    nps: z.union([z.object({ n: z.number().int(), score: z.number(), ci95: z.tuple([z.number(), z.number()]) }), Suppressed]),
  }),
  published: z.object({
    gap: z.array(z.object({ source: z.string(), name: z.string(), sample: z.string().nullable(), url: z.string().nullable(), industry: z.string().nullable(), year: z.string(), leaders: z.number(), customers: z.number(), gap: z.number() })),
    nps: z.object({ source: z.string(), year: z.string(), low: z.number(), high: z.number() }).nullable(),
  }),
  peers: z.object({
    minOrganisations: z.number().int(),
    excellentShare: PeerFigure,
    nps: PeerFigure,
    gap: PeerFigure,
  }),
});
export type BenchmarksReport = z.infer<typeof BenchmarksReport>;

/** An organisation's all-time customers and leaders, cut as its own unfiltered gap report cuts them. */
export interface OrgFigures {
  minResponses: number;
  customers: SideAggregate;
  leaders: SideAggregate;
}

/** The headline figures of one organisation as its own unfiltered report would show them (null: hidden). */
export function headlineFigures(o: OrgFigures): { customers: number | null; leaders: number | null; gap: number | null; nps: number | null } {
  const k = o.minResponses;
  const c = o.customers.respondents >= k ? shareOf(o.customers.items.excellent, k) : null;
  const l = o.leaders.respondents >= k ? shareOf(o.leaders.items.excellent, k) : null;
  const customers = c && !('suppressed' in c) ? c.share : null;
  const leaders = l && !('suppressed' in l) ? l.share : null;
  const npsN = total(o.customers.items.nps);
  let nps: number | null = null;
  if (o.customers.respondents >= k && npsN >= k && npsN > 0) {
    const promoters = countWhere(o.customers.items.nps, (v) => v >= 9);
    const detractors = countWhere(o.customers.items.nps, (v) => v <= 6);
    nps = npsFromCounts({ promoters, passives: npsN - promoters - detractors, detractors }).score;
  }
  return { customers, leaders, gap: customers !== null && leaders !== null ? leaders - customers : null, nps };
}

/** numpy.quantile(xs, q) with the default 'linear' method. */
export function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** scipy.stats.percentileofscore(xs, own, kind='mean'): % below, ties counting half. */
export function percentileOf(xs: readonly number[], own: number): number {
  const below = xs.filter((x) => x < own).length;
  const equal = xs.filter((x) => x === own).length;
  return (100 * (below + equal / 2)) / xs.length;
}

function peerFigure(values: (number | null)[], own: number | null): z.infer<typeof PeerFigure> {
  const xs = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (xs.length < MIN_PEERS) return { suppressed: true, reason: `fewer than ${MIN_PEERS} other organisations of this industry contribute this figure` };
  return {
    organisations: xs.length,
    q1: quantile(xs, 0.25),
    median: quantile(xs, 0.5),
    q3: quantile(xs, 0.75),
    own,
    ownPercentile: own === null ? null : percentileOf(xs, own),
  };
}

export function benchmarksReport(input: {
  organisation: { id: string; name: string; industry: string; minResponses: number };
  own: OrgFigures;
  peers: OrgFigures[];
}): BenchmarksReport {
  const { organisation: org, own } = input;
  const k = org.minResponses;
  const leaders = own.leaders.respondents >= k ? shareOf(own.leaders.items.excellent, k) : suppressed(k);
  const customers = own.customers.respondents >= k ? shareOf(own.customers.items.excellent, k) : suppressed(k);
  const mine = headlineFigures(own);
  let nps: BenchmarksReport['own']['nps'] = suppressed(k);
  if (mine.nps !== null) {
    const h = own.customers.items.nps;
    const n = total(h);
    const promoters = countWhere(h, (v) => v >= 9);
    const detractors = countWhere(h, (v) => v <= 6);
    const r = npsFromCounts({ promoters, passives: n - promoters - detractors, detractors });
    nps = { n, score: r.score, ci95: r.ci95 };
  }
  const peers = input.peers.map(headlineFigures);
  return {
    organisation: { id: org.id, name: org.name, industry: org.industry },
    industry: { key: org.industry, label: INDUSTRIES[org.industry as keyof typeof INDUSTRIES] ?? org.industry },
    minResponses: k,
    own: { leaders, customers, gap: mine.gap, nps },
    published: {
      gap: gapBenchmarks(org.industry).map((b) => ({ source: b.source, name: b.name, sample: b.sample, url: b.url, industry: b.industry, year: b.year, leaders: b.leaders, customers: b.customers, gap: b.leaders - b.customers })),
      nps: npsBenchmark(org.industry),
    },
    peers: {
      minOrganisations: MIN_PEERS,
      excellentShare: peerFigure(
        peers.map((p) => p.customers),
        mine.customers,
      ),
      nps: peerFigure(
        peers.map((p) => p.nps),
        mine.nps,
      ),
      gap: peerFigure(
        peers.map((p) => p.gap),
        mine.gap,
      ),
    },
  };
}

