// What every view of one organisation shares: the organisation, its journey and framework, the
// filter options, and the caller's membership (role) in it.
import { createContext, useContext, type ReactNode } from 'react';
import { useApi, type Resource } from './use-api.ts';
import { useMembership } from './session.tsx';
import type { Dimension, FilterOptions, Organisation, OrgMembership, Stage } from './types.ts';

export interface OrgContextValue {
  orgId: string;
  membership: OrgMembership & { canSetup: boolean; canAdmin: boolean };
  org: Resource<Organisation>;
  journey: Resource<{ stages: Stage[] }>;
  framework: Resource<{ dimensions: Dimension[] }>;
  options: Resource<FilterOptions>;
}

const OrgContext = createContext<OrgContextValue | null>(null);

export function OrgProvider({ orgId, children, fallback }: { orgId: string; children: ReactNode; fallback: ReactNode }) {
  const membership = useMembership(orgId);
  const base = membership ? `/api/v1/organisations/${encodeURIComponent(orgId)}` : null;
  const org = useApi<Organisation>(base);
  const journey = useApi<{ stages: Stage[] }>(base && `${base}/journey`);
  const framework = useApi<{ dimensions: Dimension[] }>(base && `${base}/framework`);
  const options = useApi<FilterOptions>(base && `${base}/filter-options`);
  if (!membership) return <>{fallback}</>;
  return <OrgContext.Provider value={{ orgId, membership, org, journey, framework, options }}>{children}</OrgContext.Provider>;
}

export function useOrg(): OrgContextValue {
  const v = useContext(OrgContext);
  if (!v) throw new Error('useOrg outside OrgProvider');
  return v;
}

/** API path under the current organisation. */
export const orgPath = (orgId: string, rest: string) => `/api/v1/organisations/${encodeURIComponent(orgId)}/${rest}`;

/** touchpoint key → label, stage label, owning department. */
export function touchpointIndex(stages: Stage[] | undefined) {
  const m = new Map<string, { label: string; stage: string; stageLabel: string; department: string }>();
  for (const s of stages ?? []) for (const t of s.touchpoints) m.set(t.key, { label: t.label, stage: s.key, stageLabel: s.label, department: t.department });
  return m;
}
