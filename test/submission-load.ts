// A bounded submission load against a running server: each submission carries its own idempotency key
// and is retried with that key after a 503 or a lost connection, as a well-behaved client (or the
// survey page's retry) does. Records which keys were acknowledged.
export interface LoadResult {
  acknowledged: Set<string>;
  /** Status codes seen (and 'network' for a request that got no answer). */
  seen: Map<number | 'network', number>;
  /** Keys given up on (never acknowledged). */
  abandoned: string[];
}

export async function submissionLoad(opts: {
  base: string;
  surveyId: string;
  count: number;
  concurrency: number;
  keyPrefix: string;
  /** Keep retrying a key after 503 / network errors (false: give up at the first, e.g. once the server stops). */
  retry?: (attempt: number) => boolean;
  body?: (i: number) => unknown;
}): Promise<LoadResult> {
  const acknowledged = new Set<string>();
  const seen = new Map<number | 'network', number>();
  const abandoned: string[] = [];
  const note = (k: number | 'network') => seen.set(k, (seen.get(k) ?? 0) + 1);
  let next = 0;
  const worker = async () => {
    while (next < opts.count) {
      const i = next++;
      const key = `${opts.keyPrefix}-${i}`;
      const body = opts.body?.(i) ?? { answers: { nps: i % 11, excellent: 1 + (i % 5) }, comment: `load ${i}` };
      for (let attempt = 1; ; attempt++) {
        let status: number | 'network';
        try {
          const r = await fetch(`${opts.base}/api/v1/surveys/${opts.surveyId}/responses`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(15_000),
          });
          status = r.status;
          await r.arrayBuffer();
        } catch {
          status = 'network';
        }
        note(status);
        if (status === 200 || status === 201) {
          acknowledged.add(key);
          break;
        }
        if ((status === 503 || status === 'network') && (opts.retry ?? ((a) => a < 50))(attempt)) {
          await new Promise((r) => setTimeout(r, 50 * Math.min(attempt, 10)));
          continue;
        }
        abandoned.push(key);
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return { acknowledged, seen, abandoned };
}
