// The surveys the public routes validate against, kept in memory for a moment. Building a survey reads
// five tables (the survey, its organisation, framework, stages and touchpoints) and generates its
// questions: ~0.25 ms per submission on SQLite, a large share of a submission's cost under load. A
// survey is kept until its organisation's set-up changes in this process (store/setup-changes.ts) or for
// PARALLAX_SURVEY_CACHE_MS (default 1000; 0 turns the cache off) — what another server on the same
// database changed reaches this one within that time. Unknown ids are not kept (one query each).
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { getSurvey, type Survey } from '../store/surveys.ts';
import { onSetupChange } from '../store/setup-changes.ts';

const MAX_SURVEYS = 1000;

export function surveyCacheMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PARALLAX_SURVEY_CACHE_MS?.trim();
  if (!raw) return 1000;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0 || ms > 60_000) throw new Error(`PARALLAX_SURVEY_CACHE_MS: expected milliseconds (0–60000), got "${raw}"`);
  return ms;
}

export class SurveyCache {
  private readonly entries = new Map<string, { until: number; orgId?: string; survey: Promise<Survey | undefined> }>();
  private readonly stop: () => void;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs = surveyCacheMsFromEnv(),
  ) {
    this.stop = onSetupChange((orgId) => {
      // Reads still in flight (organisation not known yet) may have read the old set-up: dropped too.
      for (const [id, e] of this.entries) if (e.orgId === orgId || e.orgId === undefined) this.entries.delete(id);
    });
  }

  /** The survey (read-only: shared by every request that asks within the moment). */
  get(id: string): Promise<Survey | undefined> {
    if (this.ttlMs === 0) return getSurvey(this.db, id);
    const now = Date.now();
    const hit = this.entries.get(id);
    if (hit && hit.until > now) return hit.survey;
    const survey = getSurvey(this.db, id);
    const entry: { until: number; orgId?: string; survey: Promise<Survey | undefined> } = { until: now + this.ttlMs, survey };
    this.entries.delete(id);
    if (this.entries.size >= MAX_SURVEYS) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, entry);
    const drop = () => {
      if (this.entries.get(id) === entry) this.entries.delete(id);
    };
    survey.then((s) => (s ? (entry.orgId = s.orgId) : drop()), drop);
    return survey;
  }

  close(): void {
    this.stop();
    this.entries.clear();
  }
}
