// Themes of customers' comments (issue 10): per dimension and per touchpoint tag, how many comments speak
// about it, their share negative and positive (Wilson 95 % intervals), the monthly trend, up to three
// representative redacted quotes, and whether the theme is EMERGING — its share of the last month's comments
// significantly above its own history.
//
// Emerging test: one-sided pooled two-proportion z-test (core/stats twoProportionZTest) of
//   x1/n1 = comments of the last month carrying the tag / all analysed comments of the last month
//   x0/n0 = the same over every earlier month in the cut,
// H1: x1/n1 > x0/n0, p = 1 − Φ(z); the p-values of all tags tested are Holm-adjusted (one test per tag, so
// twenty tags do not flag one by chance) and a theme is flagged at adjusted p < 0.05. A proportion test and
// not a Poisson test of counts because comment volume itself varies month to month (a campaign doubles it):
// the share of comments is what "talked about more" means.
//
// Anonymity: the same cuts as the verbatims (verbatims.ts planFor: refused filters, rare values withheld);
// a theme with fewer than k comments is left out (counted in `withheld`), a month with fewer than k comments
// of a theme shows no count, the trend only when the cut allows a breakdown by month, and the emerging test
// only on groups of at least k (the last month's comments of the theme, and each side's total).
// Customers' themes count the feedback items of every channel too (issue 9: reviews, tickets…), each text
// once, on their own cut (verbatims.ts feedbackPlanFor); leaders' themes are the leaders' comments alone.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { Perspective } from '../core/survey.ts';
import type { FeedbackChannel } from '../core/feedback.ts';
import type { SentimentLabel } from '../core/text/sentiment.ts';
import { holmAdjust, normalCdf, twoProportionZTest, wilsonInterval } from '../core/stats/index.ts';
import { readThemeCounts, readThemeQuotes, type ThemeCountRow } from '../store/comments.ts';
import { splitTags } from '../store/comment-analysis.ts';
import { feedbackPlanFor, planFor, type Plan } from './verbatims.ts';
import { reportContext } from './report-context.ts';

export const EMERGING_ALPHA = 0.05;
export const QUOTES_PER_THEME = 3;

export interface ThemeQuery {
  filters: ReportFilters;
  /** Whose comments (default customers: themes are what customers write about). */
  perspective?: Perspective;
  /** Customers' comments of one channel only: 'survey' or a feedback channel (default: every channel). */
  channel?: FeedbackChannel;
}

export interface Share {
  share: number;
  /** Wilson 95 % interval. */
  interval: [number, number];
}

export interface TrendPoint {
  month: string;
  /** Comments of the month carrying the tag; null when fewer than k (withheld). */
  comments: number | null;
  /** Their share of the month's analysed comments; null when withheld. */
  share: number | null;
}

export interface Emerging {
  month: string;
  share: number;
  historyShare: number;
  z: number;
  /** One-sided p of the z-test, then Holm-adjusted over every tag tested. */
  pValue: number;
  pAdjusted: number;
  emerging: boolean;
}

export interface Theme {
  kind: 'dimension' | 'touchpoint';
  key: string;
  label: string;
  comments: number;
  negative: Share;
  neutral: Share;
  positive: Share;
  /** By month, oldest first; null when the cut may not be broken down by month. */
  trend: TrendPoint[] | null;
  /** Up to three redacted quotes of the theme's most common sentiment, the clearest first. */
  quotes: string[];
  /** Null when not testable (no month breakdown, no history, or groups under k). */
  emerging: Emerging | null;
}

export interface ThemesReport {
  perspective: Perspective;
  /** Comments in the cut, and how many of them have a stored analysis (the rest: `parallax text backfill`). */
  comments: number;
  analysed: number;
  /** The month the emerging test looks at (the last with comments); null without a month breakdown. */
  lastMonth: string | null;
  themes: Theme[];
  /** Themes left out because fewer than k comments carry them. */
  withheld: number;
  /** Why the whole report is empty, when its cut may not be shown. */
  suppressed?: string;
}

interface Tally {
  n: number;
  bySentiment: Record<SentimentLabel, number>;
  byMonth: Map<string, number>;
}

const newTally = (): Tally => ({ n: 0, bySentiment: { negative: 0, neutral: 0, positive: 0 }, byMonth: new Map() });

/** Counts per tag from the grouped rows (pure): every analysed comment counts once for each of its tags. */
export function tallyThemes(rows: readonly ThemeCountRow[]): {
  comments: number;
  analysed: number;
  monthTotals: Map<string, number>;
  tags: Map<string, Tally>;
} {
  const tags = new Map<string, Tally>();
  const monthTotals = new Map<string, number>();
  let comments = 0;
  let analysed = 0;
  for (const r of rows) {
    comments += r.n;
    if (r.sentiment === null) continue;
    analysed += r.n;
    monthTotals.set(r.month, (monthTotals.get(r.month) ?? 0) + r.n);
    const keys = [...splitTags(r.dimensions).map((k) => `dimension:${k}`), ...splitTags(r.touchpoints).map((k) => `touchpoint:${k}`)];
    for (const key of keys) {
      let t = tags.get(key);
      if (!t) tags.set(key, (t = newTally()));
      t.n += r.n;
      t.bySentiment[r.sentiment] += r.n;
      t.byMonth.set(r.month, (t.byMonth.get(r.month) ?? 0) + r.n);
    }
  }
  return { comments, analysed, monthTotals, tags };
}

/**
 * The one-sided test of the last month's share against the months before, or null when it may not or
 * cannot be run (groups under k, no earlier month). pAdjusted is filled in once all tags are tested.
 */
export function emergingTest(t: Tally, monthTotals: Map<string, number>, lastMonth: string, k: number): Omit<Emerging, 'pAdjusted' | 'emerging'> | null {
  const x1 = t.byMonth.get(lastMonth) ?? 0;
  const n1 = monthTotals.get(lastMonth) ?? 0;
  const x0 = t.n - x1;
  let n0 = 0;
  for (const [m, n] of monthTotals) if (m < lastMonth) n0 += n;
  if (x1 < k || n1 < k || n0 < k) return null;
  const { z } = twoProportionZTest(x1, n1, x0, n0);
  // Every comment (or none) carries the tag on both sides: nothing can differ, p = 1 (not Φ's 0.5 at z = 0).
  const degenerate = x0 + x1 === 0 || x0 + x1 === n0 + n1;
  return { month: lastMonth, share: x1 / n1, historyShare: x0 / n0, z, pValue: degenerate ? 1 : 1 - normalCdf(z) };
}

const shareOf = (x: number, n: number): Share => ({ share: n ? x / n : 0, interval: wilsonInterval(x, n) });

export async function themesReport(db: Kysely<Database>, orgId: string, query: ThemeQuery): Promise<ThemesReport> {
  const perspective = query.perspective ?? 'customer';
  const empty = (suppressed?: string): ThemesReport => ({ perspective, comments: 0, analysed: 0, lastMonth: null, themes: [], withheld: 0, ...(suppressed ? { suppressed } : {}) });
  const ctx = await reportContext(db, orgId);
  if (!ctx) return empty();
  const k = ctx.org.minResponses;
  const why: Partial<Record<Perspective | 'feedback', string>> = {};
  const channel = perspective === 'customer' ? query.channel : undefined;
  const surveyPlan: Plan | null = channel && channel !== 'survey' ? null : await planFor(db, ctx, perspective, query.filters, undefined, why, ['month']); // the trend needs the month, not the touchpoint
  const feedbackPlan =
    perspective === 'customer' && channel !== 'survey' ? await feedbackPlanFor(db, ctx, query.filters, channel, why, ['month']) : null;
  if (!surveyPlan && !feedbackPlan) return empty(why[channel && channel !== 'survey' ? 'feedback' : perspective]);
  const scopes = surveyPlan ? [surveyPlan] : [];
  const feedback = feedbackPlan ? { scope: feedbackPlan.scope, ...(feedbackPlan.channels ? { channels: feedbackPlan.channels } : {}) } : undefined;
  // The month shown only when both cuts allow it.
  const plan = { showMonth: (surveyPlan?.showMonth ?? true) && (feedbackPlan?.showMonth ?? true) };

  const { comments, analysed, monthTotals, tags } = tallyThemes(await readThemeCounts(db, orgId, scopes, feedback));
  const months = [...monthTotals.keys()].sort();
  const lastMonth = plan.showMonth && months.length ? months.at(-1)! : null;

  const labelOf = (kind: Theme['kind'], key: string) =>
    kind === 'dimension' ? (ctx.framework.find((d) => d.key === key)?.label ?? key) : (ctx.touchpoints.get(key)?.label ?? key);
  const themes: Theme[] = [];
  const tests: (Omit<Emerging, 'pAdjusted' | 'emerging'> | null)[] = [];
  let withheld = 0;
  for (const [id, t] of tags) {
    if (t.n < k) {
      withheld++;
      continue;
    }
    const [kind, key] = id.split(':') as [Theme['kind'], string];
    const s = t.bySentiment;
    const dominant = (['negative', 'positive', 'neutral'] as const).reduce((a, b) => (s[b] > s[a] ? b : a));
    themes.push({
      kind,
      key,
      label: labelOf(kind, key),
      comments: t.n,
      negative: shareOf(s.negative, t.n),
      neutral: shareOf(s.neutral, t.n),
      positive: shareOf(s.positive, t.n),
      trend: plan.showMonth
        ? months.map((month) => {
            const x = t.byMonth.get(month) ?? 0;
            return x >= k ? { month, comments: x, share: x / monthTotals.get(month)! } : { month, comments: null, share: null };
          })
        : null,
      quotes: await readThemeQuotes(db, orgId, scopes, kind, key, dominant, QUOTES_PER_THEME, feedback),
      emerging: null,
    });
    tests.push(lastMonth ? emergingTest(t, monthTotals, lastMonth, k) : null);
  }
  const ran = tests.flatMap((x, i) => (x ? [i] : []));
  const adjusted = holmAdjust(ran.map((i) => tests[i]!.pValue));
  ran.forEach((i, j) => {
    themes[i]!.emerging = { ...tests[i]!, pAdjusted: adjusted[j]!, emerging: adjusted[j]! < EMERGING_ALPHA && tests[i]!.z > 0 };
  });
  // Most talked-about first; emerging ones are flagged, not reordered, so the list stays stable.
  themes.sort((a, b) => b.comments - a.comments || a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key));
  return { perspective, comments, analysed, lastMonth, themes, withheld };
}
