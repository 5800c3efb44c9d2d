// The benchmark's history: N customer responses (10 rated dimensions each, NPS, CSAT, CES, the
// excellence statement, a touchpoint, region × plan segments, 24 months) and 1,000 leader responses, each
// drawn from its own seeded stream, so a seed always gives the same rows (bench/generate.ts loads them).
import { DEFAULT_FRAMEWORK, type Dimension } from '../core/framework.ts';
import { DEFAULT_JOURNEY, touchpointsOf } from '../core/journey.ts';
import type { ValidSubmission } from '../core/survey.ts';
import { clamp, normal, pick, rng } from './random.ts';

export const LEADERS = 1000;
export const MONTHS = 24;
/** The history ends here (fixed, not "now", so a seed always gives the same data). */
const START = Date.UTC(2024, 0, 1);
const END = Date.UTC(2026, 0, 1);

/** The default framework has nine customer-rateable dimensions (AI readiness is leader-only); add a tenth. */
export const BENCH_FRAMEWORK: Dimension[] = [
  ...DEFAULT_FRAMEWORK,
  {
    key: 'value',
    label: 'Value for money',
    customerItem: 'How good is the value for money you get from {org}?',
    leaderItem: 'How would our customers rate the value for money we give them?',
    source: 'custom',
  },
];
export const CUSTOMER_DIMS = BENCH_FRAMEWORK.filter((d) => d.customerItem !== null).map((d) => d.key);
export const ALL_DIMS = BENCH_FRAMEWORK.map((d) => d.key);
export const REGIONS = ['EMEA', 'North America', 'APAC', 'LATAM'] as const;
export const PLANS = ['basic', 'standard', 'premium'] as const;
export const TOUCHPOINTS = touchpointsOf(DEFAULT_JOURNEY).map((t) => t.key);

const DIM_SHIFT: Record<string, number> = {
  service: -0.1, understanding: -0.35, integration: -0.55, communication: -0.6, reliability: 0.25,
  responsiveness: -0.4, assurance: 0.1, empathy: -0.3, tangibles: 0.45, value: -0.2,
};
/** How strongly each dimension follows the customer's overall feeling: the "true" drivers differ. */
const DIM_LOAD: Record<string, number> = {
  service: 0.9, understanding: 0.6, integration: 0.5, communication: 0.8, reliability: 1.0,
  responsiveness: 0.7, assurance: 0.4, empathy: 0.5, tangibles: 0.3, value: 0.75,
};
const TP_SHIFT: Record<string, number> = {
  advertising: 0.2, website: 0.15, pricing: -0.25, checkout: 0.1, welcome: 0.2, app: 0.3, billing: -0.6,
  help_centre: -0.2, contact_centre: -0.75, renewal: -0.45,
};
const TP_WEIGHT: Record<string, number> = { app: 4, contact_centre: 2, billing: 2 };
const PLAN_SHIFT: Record<string, number> = { basic: -0.2, standard: 0, premium: 0.25 };
const REGION_SHIFT: Record<string, number> = { EMEA: 0, 'North America': 0.1, APAC: -0.1, LATAM: 0.15 };
const COMMENTS = ['Works well.', 'Billing was confusing.', 'Support took too long.', 'Great app.', 'Too expensive for what it is.'];

const tpWeights = TOUCHPOINTS.map((t) => TP_WEIGHT[t] ?? 1);

export interface BenchResponse {
  perspective: 'customer' | 'leader';
  submission: ValidSubmission;
  idempotencyKey: string;
}

/**
 * The history in chunks, customers first then leaders, each response drawn from its own seeded stream
 * (seed, index) so any chunk size gives the same rows.
 */
export function* generate(size: number, seed: number, chunk = 50_000): Generator<BenchResponse[]> {
  const span = END - START;
  let out: BenchResponse[] = [];
  for (let i = 0; i < size; i++) {
    const r = rng(Math.imul(seed, 0x9e3779b1) ^ Math.imul(i, 0x85ebca6b) ^ 0x5bd1e995);
    r();
    const t = START + r() * span;
    const progress = (t - START) / span; // customers' view erodes: the gap widens over time
    const region = pick(r, REGIONS, [35, 30, 20, 15]);
    const plan = pick(r, PLANS, [40, 40, 20]);
    const tp = pick(r, TOUCHPOINTS, tpWeights);
    const feel = 3.05 - 0.35 * progress + PLAN_SHIFT[plan]! + REGION_SHIFT[region]! + (TP_SHIFT[tp] ?? 0) + normal(r) * 0.9;
    const answers: Record<string, number> = {};
    for (const d of CUSTOMER_DIMS) {
      if (r() > 0.04) answers[`dim:${d}`] = clamp(3 + DIM_LOAD[d]! * (feel - 3) + DIM_SHIFT[d]! + normal(r) * 0.7, 1, 5);
    }
    answers.excellent = clamp(feel - 0.15 + normal(r) * 0.5, 1, 5);
    if (r() > 0.03) answers.nps = clamp(2.3 * feel + 1.1 + normal(r) * 1.3, 0, 10);
    if (r() > 0.1) answers.csat = clamp(feel + 0.3 + normal(r) * 0.6, 1, 5);
    if (r() > 0.25) answers.ces = clamp(1.35 * feel + 0.3 + normal(r) * 0.9, 1, 7);
    out.push({
      perspective: 'customer',
      idempotencyKey: `bench:${seed}:c${i}`,
      submission: {
        respondentId: null,
        submittedAt: new Date(Math.floor(t)).toISOString(),
        touchpoint: tp,
        segments: { region, plan },
        answers,
        comment: r() < 0.05 ? COMMENTS[Math.floor(r() * COMMENTS.length)]! : null,
      },
    });
    if (out.length === chunk) {
      yield out;
      out = [];
    }
  }
  for (let i = 0; i < LEADERS; i++) {
    const r = rng(Math.imul(seed, 0x9e3779b1) ^ Math.imul(i, 0x85ebca6b) ^ 0x1b873593);
    r();
    const t = START + ((i + r()) / LEADERS) * span;
    const belief = 4.25 + normal(r) * 0.45;
    const answers: Record<string, number> = {
      excellent: clamp(belief + 0.2 + normal(r) * 0.4, 1, 5),
      'predict:excellent_share': clamp(68 + (belief - 4.25) * 25 + normal(r) * 9, 0, 100),
    };
    for (const d of ALL_DIMS) answers[`dim:${d}`] = clamp(belief + (DIM_SHIFT[d] ?? 0) * 0.25 + normal(r) * 0.5, 1, 5);
    out.push({
      perspective: 'leader',
      idempotencyKey: `bench:${seed}:l${i}`,
      submission: {
        respondentId: `leader-${i + 1}`,
        submittedAt: new Date(Math.floor(t)).toISOString(),
        touchpoint: null,
        segments: { function: pick(r, ['Executive', 'Product', 'Operations', 'Marketing', 'Support'], [1, 1, 1, 1, 1]) },
        answers,
        comment: null,
      },
    });
    if (out.length === chunk) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

/** Bump when the generated rows change (the schema is fingerprinted on its own). */
export const GENERATOR_VERSION = 1;
