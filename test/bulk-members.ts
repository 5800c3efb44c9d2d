// Many members for the tests of paged and bounded lists, seeded in two statements (the accounts'
// creation through invitations is tested elsewhere; here it would only cost time), with one hash.
import type { Store } from '../src/store/db.ts';
import { hashPassword } from '../src/store/users.ts';

/** `n` viewers of `orgId`, their e-mails in no particular order and with the characters collations treat differently (., _, +, digits). */
export async function seedMembers(store: Store, orgId: string, n: number): Promise<void> {
  const passwordHash = await hashPassword('not used by these tests');
  const now = new Date().toISOString();
  const users = Array.from({ length: n }, (_, i) => ({
    id: `usr_bulk_${orgId}_${i}`,
    email: `${['m', 'a.b', 'a_b', 'z+', 'q'][i % 5]}${(i * 7919) % 1000}.${orgId}@bulk.example`.toLowerCase(),
    name: `Member ${i}`,
    password_hash: passwordHash,
    created_at: now,
  }));
  await store.db.insertInto('users').values(users).execute();
  await store.db
    .insertInto('memberships')
    .values(users.map((u) => ({ org_id: orgId, user_id: u.id, role: 'viewer' as const, department: null, created_at: now })))
    .execute();
}
