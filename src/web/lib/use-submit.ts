// A form's or button's request state, written once: busy while the request runs (to disable the button), and
// its failure for the error banner and the fields' messages, cleared when the user tries again.
import { useCallback, useState } from 'react';

export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  /** Runs `work`; true when it succeeded, false when it failed (the failure is kept to be shown). */
  const run = useCallback(async (work: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setFailure(null);
    try {
      await work();
      return true;
    } catch (err) {
      setFailure(err);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, failure, setFailure, run };
}
