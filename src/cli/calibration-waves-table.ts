// "Is leadership learning?" for the terminal: the calibration section's table of leader waves (each
// against the customers of the same period) and the trend sentence, from the calibration-trend report.
import type { CalibrationWavesReport } from '../core/analytics/calibration-waves.ts';

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;
const iv = ([a, b]: readonly [number, number]) => `${signed(a)} to ${signed(b)}`;

export function calibrationWavesTable(r: CalibrationWavesReport): string {
  const out = [`IS LEADERSHIP LEARNING? — each leader wave against the customers of the same ${r.by}`];
  out.push(`  ${pad(r.by, 8)} ${lpad('leaders', 7)} ${lpad('customers', 9)} ${lpad('predicted', 9)} ${lpad('actual', 7)} ${lpad('error', 7)} ${pad('  95% CI (MOVER)', 20)} ${lpad('exc MAE', 7)} ${lpad('dim MAE', 7)}`);
  for (const w of r.waves) {
    if ('suppressed' in w) {
      out.push(`  ${pad(w.period, 8)} withheld: ${w.reason}`);
      continue;
    }
    const h = w.headline;
    const head = 'suppressed' in h ? `${lpad('—', 9)} ${lpad('—', 7)} ${lpad('—', 7)} ${pad(`  (${h.reason})`, 20)} ${lpad('—', 7)}` : `${lpad(`${h.predicted.mean.toFixed(1)}%`, 9)} ${lpad(`${h.actual.share.toFixed(1)}%`, 7)} ${lpad(signed(h.signedError), 7)} ${pad(`  ${iv(h.ci95)}`, 20)} ${lpad(h.mae.toFixed(1), 7)}`;
    out.push(`  ${pad(w.period, 8)} ${lpad(String(w.leaders), 7)} ${lpad(String(w.customers), 9)} ${head} ${lpad(w.dimensionsMae === null ? '—' : w.dimensionsMae.toFixed(2), 7)}`);
  }
  if (r.trend) out.push('', `  Trend (weighted least squares, weights 1/Var): ${signed(r.trend.perPeriod)} points per ${r.by}, 95% CI ${iv(r.trend.ci95)}, p=${r.trend.pValue < 0.001 ? '<0.001' : r.trend.pValue.toFixed(3)}, ${r.trend.waves} waves`);
  out.push('', r.sentence);
  return out.join('\n');
}
