import { describe, it, expect } from 'vitest';
import { bootstrapRelativeWeights } from './bootstrap-relative-weights.ts';
import { cholesky, percentileInterval, seededRandom, wishartDraw } from './bootstrap.ts';

// A seeded data set of n = 300 rows: four 1–5 ratings (predictors) and a 1–5 outcome, one row per five
// digits. Made, and bootstrapped by resampling the rows (10 000 times), with numpy 2.4:
//   rng = np.random.default_rng(11); n = 300; z = rng.normal(size=(n, 4)); z[:, 1] += 0.5 * z[:, 0]
//   y = 0.6*z[:,0] + 0.3*z[:,1] + 0.1*z[:,2] + rng.normal(size=n)*0.8
//   cut = lambda v: np.clip(np.round(3 + v), 1, 5).astype(int)
//   X = np.column_stack([cut(z[:, j]) for j in range(4)] + [cut(y)])
//   def rw(D):  # Johnson's relative weights
//       C = np.corrcoef(D, rowvar=False); R = C[:4, :4]; r = C[:4, 4]
//       lam, Q = np.linalg.eigh(R); Ls = Q @ np.diag(np.sqrt(lam)) @ Q.T
//       return (Ls**2) @ (np.linalg.solve(Ls, r)**2)
//   for b in range(10000): idx = rng.integers(0, n, n); wb = rw(X[idx]); bs[b] = wb; sh[b] = 100*wb/wb.sum()
//   np.percentile(bs, [2.5, 97.5], axis=0).T; np.percentile(sh, [2.5, 97.5], axis=0).T
const DATA = '344233243242533433334334521322113212243223432443223342322132434424442444132343333243333444344541333224243423233551423533233322333232343314425432445224423343434333121434444443522324233321234243254455253444433132233434433433331342432232233223442341413342343334333342243234552453331432223114523431434334422333345333442434544344333523432433243311341333334434422532333332314321333323532333111331533542233144232551352335244335344344432422142434353134255425123413323333333334442253144224334252351233333353333243123342324444433434322323232231245255223234423412412334413233334533331342543431452234134533342341233123232343323343342443332223332434443233344242332344242233243323222334443223212444433432343233433342233212213235434324324234414553413313111252244345534352452254354335444214223232242323423433333333342335333412113533431313322424452242242432323133242354243542332253233344433533353423234332242422453445323414444524323354133332223231224322234233332315222433321343242224342321223232125324542223432344232455435413232234144243342133533444325332223443445344543455433424311312332423345433334224333353333443432223221343444231234253555445343323133324434143232511342212322244442332233324444442345233434534243445243421222214332434243343421241341122223432233335333234343333115423124311431435242343143243553252244222333334333233212342333343151333343453532332335223445443333222333344432233333434222332243122331432433432433433113414544542444233333333441313333333524212321342333132143524553454553421341333233314322231';
const ROWS = DATA.match(/.{5}/g)!.map((r) => [...r].map(Number));

const W_REF = [0.268985, 0.127758, 0.007624, 0.00817]; // rw(X)
const SHARE_REF = [65.2028, 30.9688, 1.848, 1.9805]; // 100 * rw(X) / rw(X).sum()
const RAW_CI_REF = [[0.2007, 0.3382], [0.0772, 0.1885], [0.0004, 0.0316], [0.0005, 0.0322]];
const SHARE_CI_REF = [[52.99, 74.89], [20.06, 42.62], [0.09, 7.52], [0.12, 7.47]];

function sufficient(rows: number[][]) {
  const k = rows[0]!.length;
  const idx = Array.from({ length: k }, (_, i) => i);
  return {
    n: rows.length,
    sums: idx.map((i) => rows.reduce((s, r) => s + r[i]!, 0)),
    cross: idx.map((i) => idx.map((j) => rows.reduce((s, r) => s + r[i]! * r[j]!, 0))),
  };
}

describe('bootstrapRelativeWeights (parametric, Wishart)', () => {
  const { n, sums, cross } = sufficient(ROWS);
  const b = bootstrapRelativeWeights(n, sums, cross);

  it('gives the relative weights of the data themselves, rescaled to sum to 100', () => {
    b.weights.forEach((w, j) => expect(w).toBeCloseTo(W_REF[j]!, 5));
    b.rescaled.forEach((s, j) => expect(s).toBeCloseTo(SHARE_REF[j]!, 3));
    expect(b.rescaled.reduce((s, x) => s + x, 0)).toBeCloseTo(100, 10);
    expect(b.draws).toBe(1000);
  });

  it('agrees with a case-resampling bootstrap of the rows (numpy) within ±0.02 on the raw weights and ±2.5 points of share', () => {
    b.weightsCi.forEach(([lo, hi], j) => {
      expect(Math.abs(lo - RAW_CI_REF[j]![0]!)).toBeLessThan(0.02);
      expect(Math.abs(hi - RAW_CI_REF[j]![1]!)).toBeLessThan(0.02);
    });
    b.rescaledCi.forEach(([lo, hi], j) => {
      expect(Math.abs(lo - SHARE_CI_REF[j]![0]!)).toBeLessThan(2.5);
      expect(Math.abs(hi - SHARE_CI_REF[j]![1]!)).toBeLessThan(2.5);
      expect(lo).toBeLessThanOrEqual(b.rescaled[j]!);
      expect(hi).toBeGreaterThanOrEqual(b.rescaled[j]!);
    });
  });

  it('is the same for the same seed and differs for another', () => {
    expect(bootstrapRelativeWeights(n, sums, cross).rescaledCi).toEqual(b.rescaledCi);
    expect(bootstrapRelativeWeights(n, sums, cross, { seed: 7 }).rescaledCi).not.toEqual(b.rescaledCi);
  });

  it('gives a predictor with no spread zero weight and [0, 0], and refuses bad input', () => {
    const flat = ROWS.map((r) => [r[0]!, 3, r[4]!]);
    const s = sufficient(flat);
    const f = bootstrapRelativeWeights(s.n, s.sums, s.cross, { draws: 200 });
    expect(f.weights[1]).toBe(0);
    expect(f.rescaledCi[1]).toEqual([0, 0]);
    expect(f.rescaled[0]).toBeCloseTo(100, 10);
    expect(() => bootstrapRelativeWeights(n, sums, cross, { draws: 50 })).toThrow(RangeError);
    expect(() => bootstrapRelativeWeights(n, sums, cross, { draws: 1e6 })).toThrow(RangeError);
    expect(() => bootstrapRelativeWeights(4, sums, cross)).toThrow(RangeError);
    const dup = sufficient(ROWS.map((r) => [r[0]!, r[0]!, r[4]!]));
    expect(() => bootstrapRelativeWeights(dup.n, dup.sums, dup.cross)).toThrow(/collinear/);
  });
});

describe('wishartDraw (Bartlett)', () => {
  it('has mean df·Σ (law of large numbers over 4000 draws)', () => {
    const sigma = [[2, 0.6, 0.3], [0.6, 1, -0.2], [0.3, -0.2, 0.5]];
    const L = cholesky(sigma)!;
    const rand = seededRandom(3);
    const df = 20;
    const mean = sigma.map((r) => r.map(() => 0));
    const N = 4000;
    for (let t = 0; t < N; t++) {
      const w = wishartDraw(L, df, rand);
      w.forEach((row, i) => row.forEach((x, j) => (mean[i]![j]! += x / N)));
    }
    // E[W] = df·Σ; Var(W_ij) = df(Σ_ij² + Σ_ii Σ_jj), so the mean of 4000 draws is within ~0.1·Σ scale.
    mean.forEach((row, i) => row.forEach((x, j) => expect(Math.abs(x / df - sigma[i]![j]!)).toBeLessThan(0.05)));
  });

  it('percentile intervals match np.percentile (linear interpolation)', () => {
    // np.percentile(np.arange(1, 11), [2.5, 97.5]) -> [1.225, 9.775]
    expect(percentileInterval([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).toEqual([1.225, 9.775].map((x) => expect.closeTo(x, 12)) as unknown as [number, number]);
  });
});
