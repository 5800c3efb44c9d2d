// Drafts of refused survey forms, for Post/Redirect/Get (issue 11): a refused POST keeps the typed answers
// and errors here under a short-lived, unguessable id and answers 303 to the form's GET with `?d=<id>`, so no
// history entry is a POST result (Back never shows "Confirm form resubmission") and no answer is put in a URL
// (answers may be personal). Held in memory only: bounded in number and in bytes (the oldest go first; a
// form body is at most PUBLIC_BODY_LIMIT, 32 KiB), expiring, and dropped once the form is sent. A draft lost
// to a restart, or on another server process, costs the respondent only their retyping.
import { randomBytes } from 'node:crypto';

export interface Draft<T> {
  surveyId: string;
  /** The form's idempotency token: a successful send drops its drafts. */
  token: string;
  state: T;
  expires: number;
  bytes: number;
}

export class FormDrafts<T> {
  private readonly drafts = new Map<string, Draft<T>>();
  /** Form token → its draft's id (one draft per form). */
  private readonly byToken = new Map<string, string>();
  private bytes = 0;

  constructor(
    readonly max = 10_000,
    readonly ttlMs = 30 * 60_000,
    readonly maxBytes = 32 * 1024 * 1024,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps `state` (about `bytes` large) and returns its id (128 random bits, URL-safe). */
  put(surveyId: string, token: string, state: T, bytes: number): string {
    this.sweep();
    // One draft per form: a second refusal replaces the first.
    this.forget(token);
    while (this.drafts.size && (this.drafts.size >= this.max || this.bytes + bytes > this.maxBytes)) this.drop(this.drafts.keys().next().value!);
    const id = randomBytes(16).toString('base64url');
    this.drafts.set(id, { surveyId, token, state, expires: this.now() + this.ttlMs, bytes });
    this.bytes += bytes;
    this.byToken.set(token, id);
    return id;
  }

  /** The draft `id` of `surveyId`, unless unknown, expired or another survey's. */
  get(surveyId: string, id: unknown): T | undefined {
    if (typeof id !== 'string' || id.length > 40) return undefined;
    const d = this.drafts.get(id);
    if (!d || d.expires <= this.now()) {
      if (d) this.drop(id);
      return undefined;
    }
    return d.surveyId === surveyId ? d.state : undefined;
  }

  /** Drops the drafts of the form `token` (sent, or refused again). */
  forget(token: string): void {
    const id = this.byToken.get(token);
    if (id !== undefined) this.drop(id);
  }

  private drop(id: string): void {
    const d = this.drafts.get(id);
    if (!d) return;
    if (this.byToken.get(d.token) === id) this.byToken.delete(d.token);
    this.bytes -= d.bytes;
    this.drafts.delete(id);
  }

  get size(): number {
    return this.drafts.size;
  }

  /** Drops expired drafts: insertion order is expiry order (one fixed TTL), so it stops at the first live one. */
  private sweep(): void {
    const t = this.now();
    for (const [id, d] of this.drafts) {
      if (d.expires > t) break;
      this.drop(id);
    }
  }
}
