// Shared behaviour of the set-up editors: a working copy of a document, saved as a whole, with the
// API's field errors kept so each input can show its own.
import { useCallback, useEffect, useState } from 'react';
import { ApiFailure, describeFailure, type FieldError } from '../../lib/api.ts';
import { clearApiCache } from '../../lib/use-api.ts';

export interface Editor<T> {
  draft: T | undefined;
  setDraft: (t: T) => void;
  dirty: boolean;
  saving: boolean;
  /** Field path ("dimensions.2.label") → message. */
  fieldError: (path: string) => string | undefined;
  /** Every field the API refused, for a summary in words. */
  fieldErrors: FieldError[];
  error: string | null;
  saved: boolean;
  save: () => Promise<void>;
  reset: () => void;
}

export function useEditor<T>(loaded: T | undefined, persist: (t: T) => Promise<T>, cachePrefix: string): Editor<T> {
  const [draft, setDraftState] = useState<T | undefined>(loaded);
  const [base, setBase] = useState<T | undefined>(loaded);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (loaded !== undefined && base === undefined) {
      setBase(loaded);
      setDraftState(loaded);
    }
  }, [loaded, base]);

  const setDraft = useCallback((t: T) => {
    setDraftState(t);
    setSaved(false);
  }, []);

  const save = useCallback(async () => {
    if (draft === undefined) return;
    setSaving(true);
    setFailure(null);
    try {
      const next = await persist(draft);
      clearApiCache(cachePrefix);
      setBase(next);
      setDraftState(next);
      setSaved(true);
    } catch (e) {
      setFailure(e);
      setSaved(false);
    } finally {
      setSaving(false);
    }
  }, [draft, persist, cachePrefix]);

  const fieldError = useCallback(
    (path: string) => (failure instanceof ApiFailure ? failure.fieldMessage(path) : undefined),
    [failure],
  );

  return {
    draft,
    setDraft,
    dirty: JSON.stringify(draft) !== JSON.stringify(base),
    saving,
    fieldError,
    fieldErrors: failure instanceof ApiFailure ? failure.fields : [],
    error: failure ? describeFailure(failure) : null,
    saved,
    save,
    reset: () => {
      setDraftState(base);
      setFailure(null);
      setSaved(false);
    },
  };
}

/** A key from a label: lowercase letters, digits and _, starting with a letter. */
export function keyFrom(label: string): string {
  const k = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 40);
  return k || 'item';
}

/** The edits of a list inside a draft: change, add, remove and reorder items, each giving the list anew. */
export function listEdits<T>(items: T[], replace: (next: T[]) => void) {
  return {
    set: (i: number, patch: Partial<T>) => replace(items.map((x, j) => (j === i ? { ...x, ...patch } : x))),
    add: (item: T) => replace([...items, item]),
    remove: (i: number) => replace(items.filter((_, j) => j !== i)),
    move: (i: number, by: number) => {
      const next = [...items];
      const [x] = next.splice(i, 1);
      next.splice(i + by, 0, x!);
      replace(next);
    },
  };
}
