// What each role may do, for showing or hiding controls. The server decides; this only keeps the
// interface from offering what would be refused (mirrors src/core/access.ts, which is not bundled
// because it pulls in zod).
import type { Role } from './types.ts';

const ALLOWED: Record<'read' | 'setup' | 'admin', readonly Role[]> = {
  read: ['admin', 'analyst', 'owner', 'viewer'],
  setup: ['admin', 'analyst'],
  admin: ['admin'],
};

export const roleAllows = (role: Role, level: 'read' | 'setup' | 'admin') => ALLOWED[level].includes(role);
