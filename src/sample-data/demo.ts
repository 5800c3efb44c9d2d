// Creates the demo organisation and fills it with its history.
import type { Store } from '../store/db.ts';
import { createOrganisation, getFramework, getJourney, type Organisation } from '../store/organisations.ts';
import { surveyFor } from '../store/surveys.ts';
import { storeResponses } from '../store/responses.ts';
import { createUser, findUserByEmail } from '../store/users.ts';
import { addMembership } from '../store/memberships.ts';
import type { Role } from '../core/access.ts';
import { demoHistory, DEMO_FUNCTIONS, DEMO_PLANS, DEMO_REGIONS } from './demo-history.ts';
import { replaceSegmentDeclarations } from '../store/segments.ts';
import type { SegmentDeclaration } from '../core/segments.ts';

export const DEMO_ORG_ID = 'streamly';

/** Demo logins, one per role, all with DEMO_PASSWORD (printed by `serve`/`start`; change them for real use). */
export const DEMO_PASSWORD = 'parallax-demo';
export const DEMO_ADMIN = 'admin@streamly.example';
export const DEMO_USERS: { email: string; name: string; role: Role; department?: string }[] = [
  { email: DEMO_ADMIN, name: 'Alex Admin', role: 'admin' },
  { email: 'analyst@streamly.example', name: 'Ana Analyst', role: 'analyst' },
  { email: 'owner.support@streamly.example', name: 'Sam Support', role: 'owner', department: 'Support' },
  { email: 'viewer@streamly.example', name: 'Vic Viewer', role: 'viewer' },
];

const listed = (values: readonly string[]) => values.map((v) => ({ value: v, label: v.charAt(0).toUpperCase() + v.slice(1) }));

/**
 * The demo's declared segments: region and plan, which invitation links carry (public), and the
 * leaders' function, which only their personal links set (not public).
 */
export const DEMO_SEGMENTS: SegmentDeclaration[] = [
  { key: 'region', label: 'Region', public: true, kind: 'values', values: listed(DEMO_REGIONS) },
  { key: 'plan', label: 'Plan', public: true, kind: 'values', values: listed(DEMO_PLANS) },
  { key: 'function', label: 'Leadership function', public: false, kind: 'values', values: listed(DEMO_FUNCTIONS) },
];

async function createDemoUsers(store: Store, orgId: string): Promise<void> {
  for (const u of DEMO_USERS) {
    const user = (await findUserByEmail(store.db, u.email)) ?? (await createUser(store.db, { email: u.email, name: u.name, password: DEMO_PASSWORD }));
    await addMembership(store.db, { orgId, userId: user.id, role: u.role, department: u.department ?? null });
  }
}

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
  await createDemoUsers(store, org.id);
  await replaceSegmentDeclarations(store.db, org.id, DEMO_SEGMENTS);
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
