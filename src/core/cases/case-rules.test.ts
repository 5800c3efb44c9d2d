// Case rules: checked against the framework and journey (fields named), matched against responses, and the
// workflow's moves, SLA states and escalation ladder.
import { describe, it, expect } from 'vitest';
import { CaseRuleInput, checkCaseRule, describeConditions, matchingRule, owningDepartment, type CaseRule } from './case-rules.ts';
import { canMove, dueEscalationSteps, slaState } from './workflow.ts';
import { DEFAULT_FRAMEWORK } from '../framework.ts';
import { DEFAULT_JOURNEY } from '../journey.ts';

const rule = (over: Partial<CaseRule> & Pick<CaseRule, 'conditions'>): CaseRule => ({ id: 'r', position: 0, name: 'r', slaHours: 48, active: true, ...over });

describe('case rules', () => {
  it('defaults the SLA to 48 hours and refuses unknown fields', () => {
    expect(CaseRuleInput.parse({ name: 'Detractors', conditions: [{ kind: 'answer', item: 'nps', op: '<=', value: 6 }] }).slaHours).toBe(48);
    expect(CaseRuleInput.safeParse({ name: 'x', conditions: [{ kind: 'answer', item: 'nps', op: '<=', value: 6, extra: 1 }] }).success).toBe(false);
    expect(CaseRuleInput.safeParse({ name: 'x', conditions: [] }).success).toBe(false);
  });

  it('names each unknown item, off-scale value, touchpoint and tag', () => {
    const errors = checkCaseRule(
      {
        name: 'x',
        slaHours: 48,
        active: true,
        conditions: [
          { kind: 'answer', item: 'predict:excellent_share', op: '<=', value: 6 },
          { kind: 'answer', item: 'dim:nonsense', op: '<=', value: 2 },
          { kind: 'answer', item: 'excellent', op: '<=', value: 7 },
          { kind: 'answer', item: `dim:${DEFAULT_FRAMEWORK.find((d) => d.customerItem)!.key}`, op: '<=', value: 2 },
          { kind: 'sentiment', sentiment: 'negative', tag: 'moon' },
          { kind: 'touchpoint', touchpoints: ['billing', 'moon'] },
        ],
      },
      DEFAULT_FRAMEWORK,
      DEFAULT_JOURNEY,
    );
    expect(errors.map((e) => e.field)).toEqual(['conditions.0.item', 'conditions.1.item', 'conditions.2.value', 'conditions.4.tag', 'conditions.5.touchpoints.1']);
  });

  it('opens by the first active rule whose conditions all hold', () => {
    const rules = [
      rule({ id: 'b', position: 1, conditions: [{ kind: 'answer', item: 'nps', op: '<=', value: 6 }] }),
      rule({ id: 'a', position: 0, conditions: [{ kind: 'answer', item: 'nps', op: '<=', value: 6 }, { kind: 'touchpoint', touchpoints: ['billing'] }] }),
      rule({ id: 'off', position: -1, active: false, conditions: [{ kind: 'answer', item: 'ces', op: '>=', value: 1 }] }),
      rule({ id: 's', position: 2, conditions: [{ kind: 'sentiment', sentiment: 'negative', tag: 'communication' }] }),
    ];
    expect(matchingRule(rules, { answers: { nps: 3 }, touchpoint: 'billing', sentiment: null })?.id).toBe('a');
    expect(matchingRule(rules, { answers: { nps: 3 }, touchpoint: 'app', sentiment: null })?.id).toBe('b');
    expect(matchingRule(rules, { answers: { ces: 7 }, touchpoint: null, sentiment: null })).toBeUndefined(); // unanswered nps never matches
    expect(matchingRule(rules, { answers: {}, touchpoint: null, sentiment: { label: 'negative', dimensions: ['communication'] } })?.id).toBe('s');
    expect(matchingRule(rules, { answers: {}, touchpoint: null, sentiment: { label: 'negative', dimensions: [] } })).toBeUndefined();
    expect(matchingRule(rules, { answers: Object.assign(Object.create(null), { constructor: 1 }), touchpoint: null, sentiment: null })).toBeUndefined();
    expect(describeConditions(rules[1]!.conditions)).toBe('nps <= 6 and touchpoint in billing');
  });

  it('routes to the department owning the touchpoint, else to the CX lead', () => {
    expect(owningDepartment(DEFAULT_JOURNEY, 'billing')).toBe('Finance');
    expect(owningDepartment(DEFAULT_JOURNEY, null)).toBeNull();
    expect(owningDepartment(DEFAULT_JOURNEY, 'gone')).toBeNull();
  });
});

describe('case workflow', () => {
  const c = { openedAt: '2026-01-01T00:00:00.000Z', dueAt: '2026-01-03T00:00:00.000Z', firstContactAt: null, closedAt: null, resolvedAt: null };
  it('allows only the workflow moves', () => {
    expect(canMove('open', 'contacted')).toBe(true);
    expect(canMove('open', 'resolved')).toBe(false);
    expect(canMove('contacted', 'resolved')).toBe(true);
    expect(canMove('closed', 'in_progress')).toBe(true);
    expect(canMove('resolved', 'closed')).toBe(false);
  });
  it('tells the SLA state at a moment', () => {
    expect(slaState(c, new Date('2026-01-01T12:00:00Z'))).toBe('on_track');
    expect(slaState(c, new Date('2026-01-02T13:00:00Z'))).toBe('due_soon'); // past 75% of 48 h
    expect(slaState(c, new Date('2026-01-03T00:00:01Z'))).toBe('breached');
    expect(slaState({ ...c, firstContactAt: '2026-01-02T00:00:00.000Z' }, new Date('2026-02-01T00:00:00Z'))).toBe('met');
    expect(slaState({ ...c, firstContactAt: '2026-01-04T00:00:00.000Z' }, new Date('2026-02-01T00:00:00Z'))).toBe('breached');
    expect(slaState({ ...c, closedAt: '2026-01-02T00:00:00.000Z' }, new Date('2026-02-01T00:00:00Z'))).toBe('met');
  });
  it('climbs the escalation ladder step by step, all due steps at once after a jump', () => {
    const steps = (h: number, taken = 0) => dueEscalationSteps({ dueAt: c.dueAt, escalationStep: taken }, new Date(Date.parse(c.dueAt) + h * 3_600_000)).map((s) => s.level);
    expect(steps(-1)).toEqual([]);
    expect(steps(0)).toEqual(['assignee']);
    expect(steps(24, 1)).toEqual(['owner']);
    expect(steps(100)).toEqual(['assignee', 'owner', 'cx_lead']);
    expect(steps(100, 3)).toEqual([]);
  });
});
