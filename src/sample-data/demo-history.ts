// A believable, reproducible history for the demo organisation (a streaming service): customers'
// answers over 18 months by region, plan and touchpoint, and a leadership team that believes it
// delivers far more than customers say — the pattern published studies keep finding — and comes down to
// earth a little with each quarterly wave, some functions faster than others.
import type { Dimension } from '../core/framework.ts';
import { touchpointsOf, type Stage } from '../core/journey.ts';
import { ownsTouchpoint, touchpointPredictionKey, type ValidSubmission } from '../core/survey.ts';
import { clamp, normal, pick, rng } from './random.ts';
import { demoComment } from './demo-comments.ts';

export const DEMO_REGIONS = ['EMEA', 'North America', 'APAC', 'LATAM'] as const;
export const DEMO_PLANS = ['basic', 'standard', 'premium'] as const;
export const DEMO_FUNCTIONS = ['Executive', 'Product', 'Operations', 'Marketing', 'Support'] as const;

/** How each dimension sits relative to the customer's overall feeling (negative = a weak spot). */
const DIMENSION_SHIFT: Record<string, number> = {
  service: -0.1,
  understanding: -0.35,
  integration: -0.55,
  communication: -0.6,
  reliability: 0.25,
  responsiveness: -0.4,
  assurance: 0.1,
  empathy: -0.3,
  tangibles: 0.45,
};
/**
 * What actually drives customers' overall verdict beyond their general feeling: how they are spoken to,
 * understood and cared for — the dimensions leaders weight least (BELIEVED_IMPORTANCE), as published
 * studies find. Weights of each dimension's own deviation in the "excellent" answer.
 */
const CUSTOMER_DRIVER: Record<string, number> = {
  communication: 0.45,
  understanding: 0.35,
  empathy: 0.3,
  responsiveness: 0.25,
  reliability: 0.1,
  service: 0.1,
};
const TOUCHPOINT_SHIFT: Record<string, number> = {
  advertising: 0.2,
  website: 0.15,
  pricing: -0.25,
  checkout: 0.1,
  welcome: 0.2,
  app: 0.3,
  billing: -0.6,
  help_centre: -0.2,
  contact_centre: -0.75,
  renewal: -0.45,
};
const PLAN_SHIFT: Record<string, number> = { basic: -0.2, standard: 0, premium: 0.25 };
const REGION_SHIFT: Record<string, number> = { EMEA: 0, 'North America': 0.1, APAC: -0.1, LATAM: 0.15 };

/**
 * How fast each function's belief comes down to earth, in points of the predicted excellent share per
 * quarterly wave: leaders who hear customers every day (Support, Operations) learn fastest, Product —
 * furthest from them — hardly at all. Customers' own share slips a point or two a quarter meanwhile (their
 * feel erodes over the window), so the team's over-confidence shrinks by the difference, a few points a
 * quarter, and "Is leadership learning?" has something to find (issue 11).
 */
const LEARNING_PER_WAVE: Record<string, number> = { Support: 9, Operations: 8, Executive: 6, Marketing: 4.5, Product: 2 };
/** Points of predicted share per point of belief on the 1–5 scale (the prediction's slope below). */
const SHARE_PER_BELIEF = 25;

const LEADER_COMMENTS = [
  'Customers love our content; churn is mostly price-driven.',
  'Our NPS is industry-leading, I would expect most customers to be delighted.',
  'Support has improved a lot this year.',
  'We probably under-communicate plan changes.',
  'I think billing is a pain point we underestimate.',
];

/**
 * What leaders believe drives customers' view (the mirror survey's 100 points, core/survey.ts
 * importanceQuestion), as published studies find it (Hult et al., JAMS 2017): weight on what leadership
 * controls and can see — the product, its reliability, the service as designed — and little on how
 * customers are spoken to and understood. Each function leans further towards its own work.
 */
const BELIEVED_IMPORTANCE: Record<string, number> = {
  service: 16,
  understanding: 7,
  integration: 11,
  communication: 6,
  reliability: 20,
  responsiveness: 10,
  assurance: 6,
  empathy: 5,
  tangibles: 19,
};
const FUNCTION_LEAN: Record<string, Record<string, number>> = {
  Executive: { service: 1.3 },
  Product: { tangibles: 1.6, integration: 1.4 },
  Operations: { reliability: 1.5, responsiveness: 1.3 },
  Marketing: { communication: 1.8, tangibles: 1.2 },
  Support: { responsiveness: 1.6, empathy: 1.8 },
};

/** One leader's points of 100 over the customer dimensions (imp:<key>), whole numbers adding up to exactly 100. */
function believedImportance(r: () => number, dims: Dimension[], fn: string): Record<string, number> {
  const raw = dims.map((d) => (BELIEVED_IMPORTANCE[d.key] ?? 10) * (FUNCTION_LEAN[fn]?.[d.key] ?? 1) * Math.exp(normal(r) * 0.35));
  const sum = raw.reduce((a, b) => a + b, 0);
  // People answer in round numbers: shares to the nearest 5, the remainder to the largest (largest-remainder).
  const exact = raw.map((x) => (x / sum) * 20);
  const fives = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - fives[i]!, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const short = 20 - fives.reduce((a, b) => a + b, 0);
  for (let k = 0; k < short; k++) fives[order[k]![1]]! += 1;
  return Object.fromEntries(dims.map((d, i) => [`imp:${d.key}`, fives[i]! * 5]));
}

export interface DemoResponse {
  perspective: 'customer' | 'leader';
  submission: ValidSubmission;
}

export function demoHistory(opts: {
  framework: Dimension[];
  journey: Stage[];
  customers?: number;
  leaders?: number;
  months?: number;
  seed?: number;
  now?: Date;
}): DemoResponse[] {
  const r = rng(opts.seed ?? 20251);
  const customers = opts.customers ?? 6000;
  const leaders = opts.leaders ?? 40;
  const months = opts.months ?? 18;
  const now = opts.now ?? new Date();
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1);
  const span = now.getTime() - start;
  const tps = touchpointsOf(opts.journey);
  const tpWeights = tps.map((t) => (t.key === 'app' ? 4 : t.key === 'contact_centre' || t.key === 'billing' ? 2 : 1));
  const dims = opts.framework.filter((d) => d.customerItem !== null);
  const out: DemoResponse[] = [];
  // Comment text from a stream of its own (demo-comments.ts), so every other draw stays where it was.
  const rc = rng((opts.seed ?? 20251) ^ 0x3c11);

  for (let i = 0; i < customers; i++) {
    const at = new Date(start + r() * span);
    const progress = (at.getTime() - start) / span; // customers' view erodes slowly: the gap widens
    const region = pick(r, DEMO_REGIONS, [35, 30, 20, 15]);
    const plan = pick(r, DEMO_PLANS, [40, 40, 20]);
    const tp = pick(r, tps, tpWeights);
    const feel = 3.05 - 0.35 * progress + (PLAN_SHIFT[plan] ?? 0) + (REGION_SHIFT[region] ?? 0) + (TOUCHPOINT_SHIFT[tp.key] ?? 0) + normal(r) * 0.9;
    const answers: Record<string, number> = {};
    let drive = 0; // what the dimensions customers care about add to their verdict (CUSTOMER_DRIVER)
    for (const d of dims) {
      if (r() <= 0.04) continue;
      const own = normal(r) * 0.6;
      answers[`dim:${d.key}`] = clamp(feel + (DIMENSION_SHIFT[d.key] ?? 0) + own, 1, 5);
      drive += (CUSTOMER_DRIVER[d.key] ?? 0) * own;
    }
    // The same draws as before drivers were added, and about the same spread: the demo's levels stand.
    answers.excellent = clamp(feel - 0.15 + drive + normal(r) * 0.3, 1, 5);
    if (r() > 0.03) answers.nps = clamp(2.3 * feel + 1.1 + normal(r) * 1.3, 0, 10);
    if (r() > 0.1) answers.csat = clamp(feel + 0.3 + normal(r) * 0.6, 1, 5);
    if (r() > 0.25) answers.ces = clamp(1.35 * feel + 0.3 + normal(r) * 0.9, 1, 7);
    // Who comments is drawn from the main stream as before, and so is the draw that once picked one of
    // 15 stock sentences (kept so that every later draw, the leaders' included, is unchanged).
    const comment = r() < 0.18 ? (r(), demoComment(rc, { touchpoint: tp.key, plan, region, answers })) : null;
    out.push({
      perspective: 'customer',
      submission: {
        respondentId: `cust-${String(i + 1).padStart(6, '0')}`,
        submittedAt: at.toISOString(),
        touchpoint: tp.key,
        segments: { region, plan },
        answers,
        comment,
      },
    });
  }

  // The mirror survey runs in quarterly waves (the last month of each quarter in the window), as
  // leadership surveys do; each wave is large enough to be reported on its own.
  const waveMonths: number[] = [];
  for (let m = months - 1; m >= 0; m -= 3) waveMonths.unshift(m);
  // Believed importance from its own stream, so the rest of the demo is the same with or without it.
  const ri = rng((opts.seed ?? 20251) ^ 0x1a7b);
  const rt = rng((opts.seed ?? 20251) ^ 0x2e5d); // leaders' per-touchpoint predictions
  // Leaders learning wave by wave, from a stream of its own too: each function's steady drift towards
  // customers plus each wave's shared mood (that quarter's outage or good review), in belief points.
  const rl = rng((opts.seed ?? 20251) ^ 0x5c3a);
  const waveMood = waveMonths.map(() => (normal(rl) * 2) / SHARE_PER_BELIEF);
  for (let i = 0; i < leaders; i++) {
    const m = waveMonths[Math.floor((i * waveMonths.length) / leaders)]!;
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1) + m, 1);
    const monthEnd = Math.min(now.getTime(), Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1) + m + 1, 1) - 1);
    const at = new Date(monthStart + r() * (monthEnd - monthStart));
    // The main stream's draws in the order they always had (the function is drawn after them), so the
    // demo's dates, functions and comments stay as they were; the learning only moves the belief.
    const own = normal(r);
    const noise = { excellent: normal(r), share: normal(r), dims: opts.framework.map(() => normal(r)) };
    const fn = pick(r, DEMO_FUNCTIONS);
    const wave = waveMonths.indexOf(m);
    const belief = 4.25 + own * 0.45 - (wave * (LEARNING_PER_WAVE[fn] ?? 0)) / SHARE_PER_BELIEF + waveMood[wave]!;
    const answers: Record<string, number> = {
      excellent: clamp(belief + 0.2 + noise.excellent * 0.4, 1, 5),
      'predict:excellent_share': clamp(68 + (belief - 4.25) * SHARE_PER_BELIEF + noise.share * 9, 0, 100),
    };
    opts.framework.forEach((d, j) => (answers[`dim:${d.key}`] = clamp(belief + (DIMENSION_SHIFT[d.key] ?? 0) * 0.25 + noise.dims[j]! * 0.5, 1, 5)));
    const submission: ValidSubmission = {
      respondentId: `leader-${String(i + 1).padStart(2, '0')}`,
      submittedAt: at.toISOString(),
      touchpoint: null,
      segments: { function: fn },
      answers,
      comment: r() < 0.3 ? pick(r, LEADER_COMMENTS) : null,
    };
    // Most leaders answer the optional 100-points question; a few skip it.
    if (ri() < 0.85) Object.assign(answers, believedImportance(ri, dims, fn));
    // Leaders' belief by touchpoint (issue 11), from a stream of its own as well: from the second wave on
    // (the question came later), leaders predict the touchpoints their function owns — over-confident, as
    // on the company-wide line, and only loosely aware of which touchpoints customers rate low.
    for (const t of tps) {
      if (!ownsTouchpoint(submission.segments.function, t.department)) continue;
      if (rt() < 0.1 || wave < 1) continue;
      answers[touchpointPredictionKey(t.key)] = clamp(66 + (belief - 4.25) * 15 + (TOUCHPOINT_SHIFT[t.key] ?? 0) * 12 + normal(rt) * 8, 0, 100);
    }
    out.push({ perspective: 'leader', submission });
  }
  return out.sort((a, b) => a.submission.submittedAt.localeCompare(b.submission.submittedAt));
}
