// Shared test set-up: an app over a fresh store, and helpers to submit responses.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../src/store/db.ts';
import { buildApp } from '../src/server/app.ts';
import { createOrganisation, type Organisation } from '../src/store/organisations.ts';
import { surveyFor } from '../src/store/surveys.ts';

export interface OrgFixture {
  org: Organisation;
  customerSurvey: string;
  leaderSurvey: string;
}

export const NO_RATE_LIMITS = { surveyPerMinute: 0, surveyPerAddressPerMinute: 0, loginPerAddressPerMinute: 0 };

let counter = 0;
export async function makeOrg(store: Store, over: Partial<{ name: string; industry: string; minResponses: number }> = {}): Promise<OrgFixture> {
  const org = await createOrganisation(store.db, {
    name: over.name ?? `Test Org ${++counter} ${Math.random().toString(36).slice(2, 6)}`,
    industry: over.industry ?? 'digital_entertainment_streaming',
    minResponses: over.minResponses,
  });
  const c = await surveyFor(store.db, org.id, 'customer');
  const l = await surveyFor(store.db, org.id, 'leader');
  return { org, customerSurvey: c!.id, leaderSurvey: l!.id };
}

export async function makeApp(store: Store): Promise<FastifyInstance> {
  // Rate limits off: API tests post many responses and logins from one address in a minute; the limits
  // have their own tests (test/attack/rate-limits.test.ts).
  // Background folding off: a fold at a random moment would be a write no request made (reports fold what
  // is queued before they read, so the figures are the same); src/server/folding.test.ts tests it.
  const app = await buildApp({ store, rateLimits: NO_RATE_LIMITS, backgroundLoops: false });
  await app.ready();
  return app;
}
