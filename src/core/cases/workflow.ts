// The case workflow (issue 13): its states and allowed moves, close reasons, the SLA state of a case at a
// moment, and the escalation ladder of a breached SLA. Pure; the store applies it (store/cases.ts).
import { z } from 'zod';

export const CASE_STATES = ['open', 'in_progress', 'contacted', 'resolved', 'closed'] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const CLOSE_REASONS = ['could_not_reach', 'no_action_needed', 'duplicate', 'declined', 'other'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** Where a case may go from each state. A finished case may be reopened (back to in_progress). */
const MOVES: Record<CaseState, readonly CaseState[]> = {
  open: ['in_progress', 'contacted', 'closed'],
  in_progress: ['open', 'contacted', 'resolved', 'closed'], // resolved without contact: an anonymous case's cause fixed
  contacted: ['in_progress', 'resolved', 'closed'],
  resolved: ['in_progress'],
  closed: ['in_progress'],
};

export function canMove(from: CaseState, to: CaseState): boolean {
  return MOVES[from].includes(to);
}

export const isFinished = (s: string) => s === 'resolved' || s === 'closed';

export const SLA_STATES = ['on_track', 'due_soon', 'breached', 'met'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** Share of the SLA after which an uncontacted case counts as due soon. */
export const DUE_SOON_SHARE = 0.75;

/**
 * The SLA (first contact) state: `met` when the first contact came in time; `breached` when it came late,
 * or has not come and the due time passed (a case closed without any contact counts by its closing time).
 */
export function slaState(c: { openedAt: string; dueAt: string; firstContactAt: string | null; closedAt: string | null; resolvedAt: string | null }, now: Date): SlaState {
  const due = Date.parse(c.dueAt);
  if (c.firstContactAt) return Date.parse(c.firstContactAt) <= due ? 'met' : 'breached';
  const end = c.closedAt ?? c.resolvedAt;
  const t = end ? Date.parse(end) : now.getTime();
  if (t > due) return 'breached';
  if (end) return 'met';
  const opened = Date.parse(c.openedAt);
  return t >= opened + DUE_SOON_SHARE * (due - opened) ? 'due_soon' : 'on_track';
}

/**
 * The escalation ladder of an uncontacted case past its due time: the assignee at once, the department's
 * owners a day later, the CX lead (the organisation's admins) two days later. A level with nobody on it
 * passes the message up to the next level that has someone.
 */
export const ESCALATION_STEPS = [
  { step: 1, level: 'assignee', afterHours: 0 },
  { step: 2, level: 'owner', afterHours: 24 },
  { step: 3, level: 'cx_lead', afterHours: 48 },
] as const;
export type EscalationLevel = (typeof ESCALATION_STEPS)[number]['level'];

/** The steps due at `now` that the case has not taken yet (all of them when the clock jumped past several). */
export function dueEscalationSteps(c: { dueAt: string; escalationStep: number }, now: Date): (typeof ESCALATION_STEPS)[number][] {
  const due = Date.parse(c.dueAt);
  return ESCALATION_STEPS.filter((s) => s.step > c.escalationStep && now.getTime() >= due + s.afterHours * 3_600_000);
}

/** A contact attempt in the case's log. */
export const ContactAttempt = z
  .object({
    channel: z.enum(['email', 'phone', 'other']),
    reached: z.boolean().describe('whether the customer was reached; the first reached attempt is the first contact'),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();
export type ContactAttempt = z.infer<typeof ContactAttempt>;
