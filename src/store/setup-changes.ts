// An in-process notice that an organisation's set-up changed (its name or settings, framework, journey,
// declared segments, or a survey switched on or off), given after the change committed, for the caches of
// that set-up a process keeps (server/survey-cache.ts). Other processes on the same database do not hear
// it: their caches keep an entry for a second at most.
type Listener = (orgId: string) => void;

const listeners = new Set<Listener>();

/** Calls `listener` after every set-up change of this process; returns the function that stops it. */
export function onSetupChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setupChanged(orgId: string): void {
  for (const l of listeners) l(orgId);
}
