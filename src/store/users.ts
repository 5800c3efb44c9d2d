// Users: e-mail (lower-cased, unique), name and an argon2id password hash.
import { randomBytes, randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { normaliseEmail } from '../core/access.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface User {
  id: string;
  email: string;
  name: string;
  createdAt: string;
}

const toUser = (r: Pick<Database['users'], 'id' | 'email' | 'name' | 'created_at'>): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  createdAt: r.created_at,
});

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane); written out so a library default change
// cannot silently weaken new hashes. Algorithm 2 = Argon2id (a const enum we cannot import under tsx).
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2 as any);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed hash never matches
  }
}

// Verified against when the e-mail is unknown, so a wrong address costs as long as a wrong password.
let dummyHash: Promise<string> | undefined;
export async function verifyNothing(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
}

/** A random password for accounts created without one (shown once): 16 characters, ~96 bits. */
export const generatePassword = () => randomBytes(12).toString('base64url');

export class EmailTaken extends Error {}

/**
 * Creates a user with a password, or with a hash made beforehand (`passwordHash`) so that a caller
 * holding a transaction does not hold it through argon2's deliberate slowness.
 */
export async function createUser(
  db: Db,
  input: { email: string; name?: string } & ({ password: string; passwordHash?: never } | { passwordHash: string; password?: never }),
): Promise<User> {
  const email = normaliseEmail(input.email);
  const row = {
    id: `usr_${randomUUID().replaceAll('-', '')}`,
    email,
    name: input.name?.trim() || email.split('@')[0]!,
    password_hash: input.passwordHash ?? (await hashPassword(input.password!)),
    created_at: new Date().toISOString(),
  };
  const taken = () => new EmailTaken(`a user with e-mail ${email} exists already`);
  if (await findUserByEmail(db, email)) throw taken();
  try {
    await db.insertInto('users').values(row).execute();
  } catch (e) {
    // Lost a race with another request creating the same e-mail: the unique index decided.
    if (await findUserByEmail(db, email).catch(() => undefined)) throw taken();
    throw e;
  }
  return toUser(row);
}

export async function getUser(db: Db, id: string): Promise<User | undefined> {
  const r = await db.selectFrom('users').select(['id', 'email', 'name', 'created_at']).where('id', '=', id).executeTakeFirst();
  return r && toUser(r);
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const r = await db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'created_at'])
    .where('email', '=', normaliseEmail(email))
    .executeTakeFirst();
  return r && toUser(r);
}

/** The user whose e-mail and password match, or undefined; takes as long either way. */
export async function authenticate(db: Db, email: string, password: string): Promise<User | undefined> {
  const r = await db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
  if (!r) {
    await verifyNothing(password);
    return undefined;
  }
  return (await verifyPassword(r.password_hash, password)) ? toUser(r) : undefined;
}

export async function checkPassword(db: Db, userId: string, password: string): Promise<boolean> {
  const r = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
  return r ? verifyPassword(r.password_hash, password) : false;
}

export async function setPassword(db: Db, userId: string, password: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: await hashPassword(password) }).where('id', '=', userId).execute();
}
