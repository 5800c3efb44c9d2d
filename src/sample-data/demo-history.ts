// A believable, reproducible history for the demo organisation (a streaming service): customers'
// answers over 18 months by region, plan and touchpoint, and a leadership team that believes it
// delivers far more than customers say — the pattern published studies keep finding.
import type { Dimension } from '../core/framework.ts';
import { touchpointsOf, type Stage } from '../core/journey.ts';
import { ownsTouchpoint, touchpointPredictionKey, type ValidSubmission } from '../core/survey.ts';
import { clamp, normal, pick, rng } from './random.ts';

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

const HAPPY = [
  'The app just works, even on my old TV.',
  'Great catalogue and the downloads are reliable.',
  'Support sorted my account in minutes. Impressed.',
  'Love the recommendations, they actually fit my taste.',
  'Simple plans and no surprises on the bill.',
];
const MIXED = [
  'Good content, but the app and the website behave differently.',
  'Fine most of the time. Price keeps creeping up though.',
  'Decent, but I had to explain my problem three times.',
];
const UNHAPPY = [
  'I was charged twice and it took three weeks to get a refund.',
  'Nobody told me the plan was changing until the bill arrived.',
  'The chat bot sent me in circles; I never reached a person.',
  'Cancelling was deliberately hard. Not coming back.',
  'Messages from you contradict each other: e-mail says one thing, the app another.',
  'Streams buffer every evening and support just says to restart the router.',
];
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
    const mood = answers.excellent;
    const comment = r() < 0.18 ? pick(r, mood >= 4 ? HAPPY : mood === 3 ? MIXED : UNHAPPY) : null;
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
  for (let i = 0; i < leaders; i++) {
    const m = waveMonths[Math.floor((i * waveMonths.length) / leaders)]!;
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1) + m, 1);
    const monthEnd = Math.min(now.getTime(), Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1) + m + 1, 1) - 1);
    const at = new Date(monthStart + r() * (monthEnd - monthStart));
    const belief = 4.25 + normal(r) * 0.45;
    const answers: Record<string, number> = {
      excellent: clamp(belief + 0.2 + normal(r) * 0.4, 1, 5),
      'predict:excellent_share': clamp(68 + (belief - 4.25) * 25 + normal(r) * 9, 0, 100),
    };
    for (const d of opts.framework) answers[`dim:${d.key}`] = clamp(belief + (DIMENSION_SHIFT[d.key] ?? 0) * 0.25 + normal(r) * 0.5, 1, 5);
    const submission: ValidSubmission = {
      respondentId: `leader-${String(i + 1).padStart(2, '0')}`,
      submittedAt: at.toISOString(),
      touchpoint: null,
      segments: { function: pick(r, DEMO_FUNCTIONS) },
      answers,
      comment: r() < 0.3 ? pick(r, LEADER_COMMENTS) : null,
    };
    // Most leaders answer the optional 100-points question; a few skip it.
    if (ri() < 0.85) Object.assign(answers, believedImportance(ri, dims, submission.segments.function!));
    // Leaders' belief by touchpoint (issue 11), from a stream of its own as well: from the second wave on
    // (the question came later), leaders predict the touchpoints their function owns — over-confident, as
    // on the company-wide line, and only loosely aware of which touchpoints customers rate low.
    const wave = waveMonths.indexOf(m);
    for (const t of tps) {
      if (!ownsTouchpoint(submission.segments.function, t.department)) continue;
      if (rt() < 0.1 || wave < 1) continue;
      answers[touchpointPredictionKey(t.key)] = clamp(66 + (belief - 4.25) * 15 + (TOUCHPOINT_SHIFT[t.key] ?? 0) * 12 + normal(rt) * 8, 0, 100);
    }
    out.push({ perspective: 'leader', submission });
  }
  return out.sort((a, b) => a.submission.submittedAt.localeCompare(b.submission.submittedAt));
}
