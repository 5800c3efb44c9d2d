// The gap framework: the dimensions measured from both sides (customers rate, leaders predict).
// Defaults follow Stellar Elements' five named gaps plus SERVQUAL's customer-rateable dimensions.
import { z } from 'zod';
import { machineKey } from './keys.ts';

export const dimensionKey = machineKey;

export const Dimension = z.object({
  key: dimensionKey,
  label: z.string().trim().min(1).max(80),
  /** Item shown to customers; absent for leader-only dimensions (e.g. AI readiness). */
  customerItem: z.string().trim().min(1).max(300).nullable(),
  /** Mirror item shown to leaders: they predict how customers rate this dimension. */
  leaderItem: z.string().trim().min(1).max(300),
  /** Where the dimension comes from, for the report's legend. */
  source: z.enum(['named-gap', 'servqual', 'custom']).default('custom'),
}).strict(); // unknown fields are refused (400 naming them), as on every request body
export type Dimension = z.infer<typeof Dimension>;

export const Framework = z
  .array(Dimension)
  .min(1)
  .max(30)
  .superRefine((dims, ctx) => {
    const seen = new Set<string>();
    dims.forEach((d, i) => {
      if (seen.has(d.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `duplicate dimension key "${d.key}"` });
      seen.add(d.key);
    });
  });

/** `{org}` is replaced by the organisation's name when a survey is generated. */
export const DEFAULT_FRAMEWORK: Dimension[] = [
  {
    key: 'service',
    label: 'Service delivered vs expected',
    customerItem: 'How well did the service you received from {org} match what you expected?',
    leaderItem: 'How would our customers rate how well our service matches what they expect?',
    source: 'named-gap',
  },
  {
    key: 'understanding',
    label: 'Understanding of customers',
    customerItem: 'How well does {org} understand what you need?',
    leaderItem: 'How would our customers rate how well we understand what they need?',
    source: 'named-gap',
  },
  {
    key: 'ai_readiness',
    label: 'AI readiness',
    customerItem: null,
    leaderItem: 'How ready are we, in resources and skills, to use AI to serve customers better?',
    source: 'named-gap',
  },
  {
    key: 'integration',
    label: 'Seamless across channels',
    customerItem: 'How seamless was your experience across channels (app, web, phone, e-mail)?',
    leaderItem: 'How would our customers rate how seamless we are across channels?',
    source: 'named-gap',
  },
  {
    key: 'communication',
    label: 'Clear, consistent communication',
    customerItem: 'How clearly and consistently did {org} communicate with you?',
    leaderItem: 'How would our customers rate how clearly and consistently we communicate?',
    source: 'named-gap',
  },
  {
    key: 'reliability',
    label: 'Reliability',
    customerItem: 'How dependably did {org} do what it promised?',
    leaderItem: 'How would our customers rate how dependably we do what we promise?',
    source: 'servqual',
  },
  {
    key: 'responsiveness',
    label: 'Responsiveness',
    customerItem: 'How quickly and willingly did {org} help you?',
    leaderItem: 'How would our customers rate how quickly and willingly we help them?',
    source: 'servqual',
  },
  {
    key: 'assurance',
    label: 'Assurance',
    customerItem: 'How much confidence did {org} give you that you are in good hands?',
    leaderItem: 'How would our customers rate the confidence we give them that they are in good hands?',
    source: 'servqual',
  },
  {
    key: 'empathy',
    label: 'Empathy',
    customerItem: 'How much individual care and attention did {org} give you?',
    leaderItem: 'How would our customers rate the individual care and attention we give them?',
    source: 'servqual',
  },
  {
    key: 'tangibles',
    label: 'Tangibles',
    customerItem: 'How would you rate the look and quality of {org}’s app, website, materials and places?',
    leaderItem: 'How would our customers rate the look and quality of our app, website, materials and places?',
    source: 'servqual',
  },
];

export function customerDimensions(framework: Dimension[]): Dimension[] {
  return framework.filter((d) => d.customerItem !== null);
}
