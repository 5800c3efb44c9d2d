// Public surface of the statistics layer: everything the gap analysis and the API need, from one import.
export * from './distributions.ts';
export * from './moments.ts';
export * from './proportion.ts';
export * from './welch.ts';
export * from './nps.ts';
export * from './regression.ts';
export * from './relative-weights.ts';
export * from './multiple-comparisons.ts';
export * from './calibration.ts';
