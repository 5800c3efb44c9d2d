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
  /** Name and sample as one line, for display (derived from them: never parse it back). */
  source: string;
  /** The study or publisher, e.g. "Stellar Elements CX survey". */
  name: string;
  /** Who was asked, e.g. "500+ leaders, 2,000 consumers" or an industry; null when not published. */
  sample: string | null;
  url: string | null;
  /** The industry the figure is for (its key); null: across industries. */
  industry: Industry | null;
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

// Structured fields, not one string: a sample such as "2,000 consumers" holds a comma, so a display
// string cannot be split back into name and sample (issue 11).
const gap = (name: string, sample: string | null, year: string, leaders: number, customers: number, industry: Industry | null = null): GapBenchmark => ({
  // The display line as it has always read: "name (sample)", an industry's "name, industry".
  source: sample ? (industry ? `${name}, ${sample}` : `${name} (${sample})`) : name,
  name,
  sample,
  url: null,
  industry,
  year,
  leaders,
  customers,
});

const CROSS_INDUSTRY: GapBenchmark[] = [
  gap('Stellar Elements CX survey', '500+ leaders, 2,000 consumers', '2024', 0.81, 0.21),
  gap('Bain & Company, "Closing the delivery gap"', null, '2005', 0.8, 0.08),
  gap('Amdocs CX20', '~1,000 leaders, 2,000 consumers, 14 industries', '2024–25', 0.8, 0.24),
  gap('CX-Advisory article', null, '2024', 0.87, 0.11),
  gap('Acquia', null, '2022', 0.82, 0.1),
  gap('Capgemini', null, '2018', 0.75, 0.3),
];

const BY_INDUSTRY: Partial<Record<Industry, GapBenchmark[]>> = {
  digital_entertainment_streaming: [gap('Stellar Elements CX survey', 'digital entertainment & streaming', '2024', 0.95, 0.28, 'digital_entertainment_streaming')],
  transportation_travel: [gap('Stellar Elements CX survey', 'transportation & travel', '2024', 0.59, 0.37, 'transportation_travel')],
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
