// `parallax campaign show <id> --weight-by <attribute>`: the campaign respondents' customer figures,
// unweighted and post-stratified in two columns side by side, with the weights per stratum
// (src/reports/weighted-gap.ts computes them; this only lays them out for a terminal).
import type { WeightedGap } from '../reports/weighted-gap.ts';

type Fig<T> = T | { suppressed: true; reason: string };
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const COL = 30;
const LABEL = 32;

function cell<T extends object>(f: Fig<T>, show: (x: T) => string): string {
  return 'suppressed' in f ? `— (${f.reason})` : show(f);
}

export function weightedGapTable(r: WeightedGap): string {
  const out: string[] = [];
  const by = r.attributes.join(' × ');
  out.push(`Weighted by ${by} to the invited contacts of "${r.campaign.name}" (${r.campaign.id})`);
  const w = r.weighting;
  if ('suppressed' in w) out.push(`  no weights: ${w.reason}`);
  else {
    out.push(
      `  delivered ${w.population}, respondents ${w.respondents}; effective sample size ${w.effectiveSampleSize.toFixed(1)} (design effect ${w.designEffect.toFixed(2)})` +
        (w.trimmed ? '; weights capped at 5' : ''),
    );
    out.push(`  ${'stratum'.padEnd(28)} ${'invited'.padStart(8)} ${'answered'.padStart(9)} ${'weight'.padStart(7)}`);
    for (const s of w.strata) out.push(`  ${s.values.join(', ').padEnd(28)} ${String(s.invited).padStart(8)} ${String(s.respondents).padStart(9)} ${s.weight.toFixed(2).padStart(7)}`);
    for (const u of w.unrepresented) out.push(`  ${u.value.padEnd(28)} ${String(u.invited).padStart(8)} ${'0'.padStart(9)} ${'none'.padStart(7)}  (nobody answered: left out)`);
  }
  out.push('');
  out.push(`  ${''.padEnd(LABEL)} ${'unweighted'.padEnd(COL)} weighted`);
  const row = (label: string, u: string, wt: string) => out.push(`  ${label.slice(0, LABEL).padEnd(LABEL)} ${u.padEnd(COL)} ${wt}`);
  const share = (s: { share: number; ci95: [number, number] }) => `${pct(s.share)} (${pct(s.ci95[0])}–${pct(s.ci95[1])})`;
  row('Excellent (agree or strongly)', cell(r.headline.unweighted, share), cell(r.headline.weighted, share));
  const mean = (m: { mean: number; ci95: [number, number] | null }) => `${m.mean.toFixed(2)}${m.ci95 ? ` (${m.ci95[0].toFixed(2)}–${m.ci95[1].toFixed(2)})` : ''}`;
  for (const d of r.dimensions) row(d.label, cell(d.unweighted, mean), cell(d.weighted, mean));
  const nps = (n: { score: number; moe95: number }) => `${n.score.toFixed(1)} ± ${n.moe95.toFixed(1)}`;
  row('NPS', cell(r.nps.unweighted, nps), cell(r.nps.weighted, nps));
  return out.join('\n');
}
