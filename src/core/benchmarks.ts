// Published perception-gap and NPS figures (shared/DESIGN.md), by industry, with source and year,
// shown beside an organisation's own figures.
export const INDUSTRIES = {
  digital_entertainment_streaming: 'Digital entertainment & streaming',
  transportation_travel: 'Transportation & travel',
  retail: 'Retail',
  grocery: 'Grocery',
  tv_internet: 'TV & internet providers',
  car_rental: 'Car rental',
  airlines: 'Airlines',
  consumer_payments: 'Consumer payments',
  other: 'Other / cross-industry',
} as const;
export type Industry = keyof typeof INDUSTRIES;
export const INDUSTRY_KEYS = Object.keys(INDUSTRIES) as [Industry, ...Industry[]];

export interface GapBenchmark {
  source: string;
  year: string;
  /** Share of leaders who believe they deliver an excellent experience (0–1). */
  leaders: number;
  /** Share of customers who agree (0–1). */
  customers: number;
  note?: string;
}

export interface NpsBenchmark {
  source: string;
  year: string;
  low: number;
  high: number;
}

const CROSS_INDUSTRY: GapBenchmark[] = [
  { source: 'Stellar Elements CX survey (500+ leaders, 2,000 consumers)', year: '2024', leaders: 0.81, customers: 0.21 },
  { source: 'Bain & Company, "Closing the delivery gap"', year: '2005', leaders: 0.8, customers: 0.08 },
  { source: 'Amdocs CX20 (~1,000 leaders, 2,000 consumers, 14 industries)', year: '2024–25', leaders: 0.8, customers: 0.24 },
  { source: 'CX-Advisory article', year: '2024', leaders: 0.87, customers: 0.11 },
  { source: 'Acquia', year: '2022', leaders: 0.82, customers: 0.1 },
  { source: 'Capgemini', year: '2018', leaders: 0.75, customers: 0.3 },
];

const BY_INDUSTRY: Partial<Record<Industry, GapBenchmark[]>> = {
  digital_entertainment_streaming: [
    { source: 'Stellar Elements CX survey, digital entertainment & streaming', year: '2024', leaders: 0.95, customers: 0.28 },
  ],
  transportation_travel: [
    { source: 'Stellar Elements CX survey, transportation & travel', year: '2024', leaders: 0.59, customers: 0.37 },
  ],
};

const NPS: Partial<Record<Industry, NpsBenchmark>> = {
  grocery: { source: 'Qualtrics XM Institute consumer ratings', year: '2023–24', low: 30, high: 30 },
  digital_entertainment_streaming: { source: 'Qualtrics XM Institute consumer ratings', year: '2023–24', low: 28, high: 29 },
  retail: { source: 'Qualtrics XM Institute consumer ratings', year: '2023–24', low: 28, high: 29 },
  tv_internet: { source: 'Qualtrics XM Institute consumer ratings', year: '2023–24', low: 9, high: 9 },
  car_rental: { source: 'Qualtrics XM Institute consumer ratings', year: '2023–24', low: 3, high: 8 },
  airlines: { source: 'Qualtrics XM Institute consumer ratings', year: '2023–24', low: 7, high: 7 },
  consumer_payments: { source: 'Qualtrics XM Institute consumer ratings', year: '2023–24', low: -6, high: 1 },
};

/** The most specific published gap figure for an industry first, then the cross-industry ones. */
export function gapBenchmarks(industry: string): GapBenchmark[] {
  return [...(BY_INDUSTRY[industry as Industry] ?? []), ...CROSS_INDUSTRY];
}

export function npsBenchmark(industry: string): NpsBenchmark | null {
  return NPS[industry as Industry] ?? null;
}
