import { describe, it, expect } from 'vitest';
import { benchmarksReport, headlineFigures, percentileOf, quantile } from './benchmarks.ts';
import type { SideAggregate } from '../gap-report.ts';

const side = (x: number, n: number, nps?: Record<number, number>): SideAggregate => ({ respondents: n, items: { excellent: { 5: x, 1: n - x }, ...(nps ? { nps } : {}) } });
const org = (cx: number, cn: number, lx = 8, ln = 10) => ({ minResponses: 5, customers: side(cx, cn, { 10: cx, 3: cn - cx }), leaders: side(lx, ln) });

describe('benchmarks', () => {
  it('quantiles and percentile match numpy and scipy', () => {
    const peers = [0.1, 0.25, 0.3, 0.18, 0.22, 0.4].sort((a, b) => a - b);
    // numpy: np.quantile([.1,.25,.3,.18,.22,.4], [.25,.5,.75]) -> [0.19, 0.235, 0.2875]
    expect(quantile(peers, 0.25)).toBeCloseTo(0.19, 14);
    expect(quantile(peers, 0.5)).toBeCloseTo(0.235, 14);
    expect(quantile(peers, 0.75)).toBeCloseTo(0.2875, 14);
    // scipy: percentileofscore(peers, 0.22, kind='mean') -> 41.666…; (…, 0.21) -> 33.333…
    expect(percentileOf(peers, 0.22)).toBeCloseTo(41.66666666666667, 12);
    expect(percentileOf(peers, 0.21)).toBeCloseTo(33.333333333333336, 12);
  });

  it('uses only visible peer figures and needs five peers', () => {
    const own = org(21, 100);
    const peers = [org(10, 100), org(25, 100), org(30, 100), org(18, 100), org(22, 100, 2, 3)];
    const r = benchmarksReport({ organisation: { id: 'me', name: 'Me', industry: 'retail', minResponses: 5 }, own, peers });
    expect(r.peers.excellentShare).toMatchObject({ organisations: 5, median: 0.22, own: 0.21, ownPercentile: 40 });
    // The fifth peer has 3 leaders (< its minimum of 5): it contributes no gap, so only 4 do.
    expect(r.peers.gap).toEqual({ suppressed: true, reason: 'fewer than 5 other organisations of this industry contribute this figure' });
    expect(r.own.gap).toBeCloseTo(0.8 - 0.21, 14);
    expect(r.published.nps).toMatchObject({ low: 28, high: 29 });
    // NPS of own: 21 promoters, 79 detractors of 100 → −58
    expect(r.own.nps).toMatchObject({ n: 100, score: expect.closeTo(-58, 10) });
    expect(headlineFigures(org(3, 4)).customers).toBeNull();
  });
});
