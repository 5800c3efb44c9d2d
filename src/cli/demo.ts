// Creates the demo organisation and fills it with its history.
import type { Store } from '../store/db.ts';
import { createOrganisation, getFramework, getJourney, type Organisation } from '../store/organisations.ts';
import { surveyFor } from '../store/surveys.ts';
import { storeResponses } from '../store/responses.ts';
import { demoHistory } from './demo-data.ts';

export const DEMO_ORG_ID = 'streamly';

export async function createDemo(store: Store, opts: { customers?: number; seed?: number; log?: (s: string) => void } = {}): Promise<Organisation> {
  const log = opts.log ?? (() => {});
  const org = await createOrganisation(store.db, {
    id: DEMO_ORG_ID,
    name: 'Streamly',
    industry: 'digital_entertainment_streaming',
  });
  const [framework, journey] = await Promise.all([getFramework(store.db, org.id), getJourney(store.db, org.id)]);
  const customer = (await surveyFor(store.db, org.id, 'customer'))!;
  const leader = (await surveyFor(store.db, org.id, 'leader'))!;
  const history = demoHistory({ framework, journey, customers: opts.customers, seed: opts.seed });
  log(`Creating demo organisation "${org.name}" with ${history.length} responses…`);
  await storeResponses(
    store.db,
    history.map((h) => ({
      orgId: org.id,
      surveyId: h.perspective === 'customer' ? customer.id : leader.id,
      perspective: h.perspective,
      submission: h.submission,
      idempotencyKey: `demo:${h.submission.respondentId}`,
    })),
  );
  return org;
}
