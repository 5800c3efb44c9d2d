// Who may do what: the roles a user holds in an organisation, the access levels routes declare, and
// the account rules (e-mail form, password length) shared by the API and the CLI.
import { z } from 'zod';

export const ROLES = ['admin', 'analyst', 'owner', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a route needs. `read`: any member; `setup` (framework, journey, surveys, organisation
 * settings): admin and analyst; `admin` (members, API keys): admin only. `public`: no caller
 * needed; `user`: a logged-in person (not an API key); `authenticated`: a person or an API key.
 * `optional`: no caller needed, but a session or key that is sent is identified like anywhere else
 * (so a cookie write still needs its CSRF token) — for accepting an invitation, logged in or not.
 */
export const ACCESS_LEVELS = ['public', 'optional', 'authenticated', 'user', 'read', 'setup', 'admin'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

const ALLOWED: Record<'read' | 'setup' | 'admin', readonly Role[]> = {
  read: ROLES,
  setup: ['admin', 'analyst'],
  admin: ['admin'],
};

export function roleAllows(role: Role, level: 'read' | 'setup' | 'admin'): boolean {
  return ALLOWED[level].includes(role);
}

export const MIN_PASSWORD_LENGTH = 10;
// argon2 accepts any length; the cap keeps a request from making us hash megabytes.
export const MAX_PASSWORD_LENGTH = 256;

export const Password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an e-mail address'));

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** A password problem in words, or null when it is acceptable (for the CLI, which has no zod errors). */
export function passwordProblem(password: string): string | null {
  const r = Password.safeParse(password);
  return r.success ? null : r.error.issues[0]!.message;
}

/**
 * The touchpoints an `owner` may see: those their department owns (compared without case or
 * surrounding spaces, as departments are typed by hand in the journey editor).
 */
export function ownedTouchpoints(touchpoints: { key: string; department: string }[], department: string | null): string[] {
  const d = (department ?? '').trim().toLowerCase();
  return touchpoints.filter((t) => d !== '' && t.department.trim().toLowerCase() === d).map((t) => t.key);
}

/** Narrows a requested touchpoint filter to those the caller may see (`allowed` null: no limit). */
export function narrowTouchpoints(requested: string[] | undefined, allowed: string[] | null): string[] | undefined {
  if (allowed === null) return requested;
  return requested === undefined ? [...allowed] : requested.filter((t) => allowed.includes(t));
}
