// Campaigns API (issue 12): POST /organisations/:org/campaigns sends one survey — the customer survey
// to customer contacts, or the leader (mirror) survey to leader contacts, each through a personal
// invitation — to the contacts a filter picks, now or at `sendAt`, with reminders; GET lists campaigns;
// GET …/:id gives its counts (sent, delivered, opened, started, completed, unsubscribed, bounced) and the
// response rate with its Wilson interval. The messages go out as durable mail jobs (src/mail/runner.ts).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { CampaignInput, campaignSettings, DEFAULT_BODY, DEFAULT_LEADER_BODY, DEFAULT_SUBJECT } from '../../core/campaigns.ts';
import { campaignStats, contactCounts, createCampaign, deliveredUnits, getCampaign, listCampaigns, TooManyContacts, triggerInvitation } from '../../store/campaigns.ts';
import { nonResponseCheck } from '../../core/nonresponse.ts';
import { getSegmentDeclarations } from '../../store/segments.ts';
import { checkContact } from '../../core/contacts.ts';
import { contactContext } from '../../store/contacts.ts';
import { machineKey } from '../../core/keys.ts';
import { jobStates } from '../../store/mail-jobs.ts';
import { surveyFor } from '../../store/surveys.ts';
import { ApiError } from '../errors.ts';
import { requireOrg } from './setup.ts';

const OrgParams = z.object({ org: z.string().max(60) });

const CampaignOut = z.object({
  id: z.string(),
  name: z.string(),
  surveyId: z.string(),
  perspective: z.enum(['customer', 'leader']),
  filter: z.record(z.string(), z.unknown()),
  subject: z.string(),
  body: z.string(),
  senderName: z.string(),
  sendAt: z.string(),
  reminderDays: z.number().nullable(),
  maxReminders: z.number(),
  createdBy: z.string(),
  createdAt: z.string(),
});

const Stats = z.object({
  invited: z.number(),
  sent: z.number().describe('messages that reached an answer from the SMTP server (accepted or refused)'),
  delivered: z.number().describe('accepted by the SMTP server'),
  opened: z
    .number()
    .describe(
      'opened where measurable: the message\'s tracking image loaded, or its survey link followed. A lower bound: many mail clients block images, and some load them for privacy without anyone reading',
    ),
  started: z.number().describe('opened the survey through their invitation'),
  completed: z.number(),
  unsubscribed: z.number(),
  bounced: z.number(),
  responseRate: z.number().nullable().describe('completed / delivered'),
  responseRateInterval: z.tuple([z.number(), z.number()]).nullable().describe('Wilson 95 % interval'),
});

/** The dashboard reads these shapes (type-only imports). */
export type CampaignView = z.infer<typeof CampaignOut>;
export type CampaignStatsView = z.infer<typeof Stats>;

export const TriggerInput = z
  .object({
    contact: z.record(z.string().max(60), z.unknown()).describe('email, name?, language?, kind?, function?, touchpoint?, segments? — added if new; an existing contact keeps their details'),
    touchpoint: machineKey.optional().describe('the journey moment this invitation is about (e.g. the ticket that closed)'),
    perspective: z.enum(['customer', 'leader']).default('customer'),
    quietDays: z.number().int().min(0).max(365).default(30).describe('no invitation if the contact was invited within this many days'),
  })
  .strict();

export async function campaignRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/organisations/:org/survey-invitations',
    {
      bodyLimit: 16 * 1024,
      schema: {
        tags: ['campaigns'],
        description:
          'A triggered invitation (e.g. from a help desk when a ticket closes): mails the survey to one contact about one touchpoint, unless they are unsubscribed or bounced ' +
          'or were invited within `quietDays` (then 200 with `queued: false` and the reason). The contact is added if new. Sent as part of the campaign "Triggered invitations".',
        params: OrgParams,
        body: TriggerInput,
        response: {
          201: z.object({ queued: z.literal(true), invitationId: z.string(), campaignId: z.string(), contactId: z.string() }),
          200: z.object({ queued: z.literal(false), reason: z.string(), contactId: z.string(), lastInvitedAt: z.string().optional() }),
        },
      },
    },
    async (req, reply) => {
      const org = await requireOrg(store, req.params.org);
      const b = req.body;
      const ctx = await contactContext(store.db, org.id);
      const c = checkContact({ kind: b.perspective, ...b.contact }, ctx, 1, (f) => `contact.${f}`);
      if (!c.ok) throw ApiError.validation(c.errors.map((e) => ({ field: e.column, message: e.reason })));
      if (b.touchpoint !== undefined && !ctx.touchpoints.includes(b.touchpoint)) throw ApiError.validation([{ field: 'touchpoint', message: `unknown touchpoint "${b.touchpoint}"` }]);
      const survey = await surveyFor(store.db, org.id, b.perspective);
      if (!survey) throw ApiError.notFound(`${b.perspective} survey of "${org.id}"`);
      if (!survey.active) throw new ApiError(409, `the ${b.perspective} survey is closed`, [{ field: 'perspective', message: 'its survey is closed' }]);
      const createdBy = req.access?.userId ? `user:${req.access.userId}` : `key:${req.access?.apiKeyId ?? 'unknown'}`;
      const out = await triggerInvitation(store.db, org.id, {
        contact: c.value,
        touchpoint: b.touchpoint ?? null,
        perspective: b.perspective,
        surveyId: survey.id,
        quietDays: b.quietDays,
        campaign: { subject: DEFAULT_SUBJECT, body: b.perspective === 'leader' ? DEFAULT_LEADER_BODY : DEFAULT_BODY, senderName: org.name.replace(/[<>"\r\n]/g, ''), createdBy },
      });
      return reply.code(out.queued ? 201 : 200).send(out);
    },
  );

  r.post(
    '/organisations/:org/campaigns',
    {
      bodyLimit: 64 * 1024,
      schema: {
        tags: ['campaigns'],
        description:
          'Sends a survey to the active contacts of the perspective\'s kind that match the filter, now or at `sendAt`. Subject and body default to a message that says why the survey matters and how long it takes ' +
          '({name} and {organisation} are filled in; the survey link and an unsubscribe link are added). Reminders go after `reminderDays` to those who have not answered, at most `maxReminders` times.',
        params: OrgParams,
        body: CampaignInput,
        response: { 201: z.object({ campaign: CampaignOut, invited: z.number() }) },
      },
    },
    async (req, reply) => {
      const org = await requireOrg(store, req.params.org);
      const b = req.body;
      const survey = await surveyFor(store.db, org.id, b.perspective);
      if (!survey) throw ApiError.notFound(`${b.perspective} survey of "${org.id}"`);
      if (!survey.active) throw new ApiError(409, `the ${b.perspective} survey is closed`, [{ field: 'perspective', message: 'its survey is closed' }]);
      const createdBy = req.access?.userId ? `user:${req.access.userId}` : `key:${req.access?.apiKeyId ?? 'unknown'}`;
      try {
        const out = await createCampaign(store.db, org.id, {
          name: b.name,
          surveyId: survey.id,
          perspective: b.perspective,
          filter: b.filter,
          ...campaignSettings(b, org.name),
          createdBy,
        });
        return reply.code(201).send(out);
      } catch (err) {
        if (err instanceof TooManyContacts) throw new ApiError(422, err.message, [{ field: 'filter', message: err.message }]);
        throw err;
      }
    },
  );

  r.get(
    '/organisations/:org/contact-counts',
    {
      config: { access: 'setup' },
      schema: {
        tags: ['campaigns'],
        description: 'How many contacts the organisation has of each kind (customer, leader) and status (active, unsubscribed, bounced): counts only, no personal data.',
        params: OrgParams,
        response: { 200: z.object({ counts: z.array(z.object({ kind: z.enum(['customer', 'leader']), status: z.enum(['active', 'unsubscribed', 'bounced']), count: z.number() })) }) },
      },
    },
    async (req) => {
      const org = await requireOrg(store, req.params.org);
      return { counts: await contactCounts(store.db, org.id) };
    },
  );

  const Defaults = z.object({ subject: z.string(), body: z.string(), senderName: z.string() });
  r.get(
    '/organisations/:org/campaign-defaults',
    {
      config: { access: 'setup' },
      schema: {
        tags: ['campaigns'],
        description: 'What a new campaign says unless told otherwise, per perspective: subject, body ({name} and {organisation} still to fill in) and sender name — for a form to start from.',
        params: OrgParams,
        response: { 200: z.object({ customer: Defaults, leader: Defaults }) },
      },
    },
    async (req) => {
      const org = await requireOrg(store, req.params.org);
      const of = (perspective: 'customer' | 'leader') => {
        const s = campaignSettings(CampaignInput.parse({ name: 'defaults', perspective }), org.name);
        return { subject: s.subject, body: s.body, senderName: s.senderName };
      };
      return { customer: of('customer'), leader: of('leader') };
    },
  );

  r.get(
    '/organisations/:org/campaigns',
    { config: { access: 'setup' }, schema: { tags: ['campaigns'], params: OrgParams, response: { 200: z.object({ campaigns: z.array(CampaignOut) }) } } },
    async (req) => {
      const org = await requireOrg(store, req.params.org);
      return { campaigns: await listCampaigns(store.db, org.id) };
    },
  );

  r.get(
    '/organisations/:org/campaigns/:id',
    {
      config: { access: 'setup' },
      schema: {
        tags: ['campaigns'],
        description: "A campaign with its counts, response rate and the state of its messages.",
        params: OrgParams.extend({ id: z.string().max(40) }),
        response: { 200: z.object({ campaign: CampaignOut, stats: Stats, messages: z.record(z.string(), z.number()).describe('mail jobs by state') }) },
      },
    },
    async (req) => {
      const org = await requireOrg(store, req.params.org);
      const campaign = await getCampaign(store.db, org.id, req.params.id);
      if (!campaign) throw ApiError.notFound(`campaign "${req.params.id}"`);
      return { campaign, stats: await campaignStats(store.db, org.id, campaign.id), messages: await jobStates(store.db, org.id, campaign.id) };
    },
  );

  const ValueRow = z.object({
    value: z.string(),
    invited: z.number().describe('delivered invitations with this value'),
    responded: z.number(),
    responseRate: z.number(),
    responseRateInterval: z.tuple([z.number(), z.number()]).describe('Wilson 95 %'),
    shareInvited: z.number(),
    shareRespondents: z.number(),
    adjustedResidual: z.number().nullable(),
    underRepresented: z.boolean().describe('adjusted residual below −1.96 and the attribute significant after Holm'),
    weight: z.number().nullable().describe('post-stratification weight of a respondent with this value (shareInvited / shareRespondents)'),
  });
  r.get(
    '/organisations/:org/campaigns/:id/nonresponse',
    {
      config: { access: 'setup' },
      schema: {
        tags: ['campaigns'],
        description:
          "Do the respondents look like those invited? Per declared segment and the touchpoint, over the delivered invitations: response rate by value, a chi-square test of value × answered, " +
          'p-values adjusted across attributes (Holm and Benjamini–Hochberg, as the reports), the under-represented values, and post-stratification weights.',
        params: OrgParams.extend({ id: z.string().max(40) }),
        response: {
          200: z.object({
            delivered: z.number(),
            responded: z.number(),
            attributes: z.array(z.object({ attribute: z.string(), values: z.array(ValueRow), chiSquare: z.number().nullable(), df: z.number(), pValue: z.number().nullable(), holm: z.number().nullable(), bh: z.number().nullable() })),
          }),
        },
      },
    },
    async (req) => {
      const org = await requireOrg(store, req.params.org);
      const campaign = await getCampaign(store.db, org.id, req.params.id);
      if (!campaign) throw ApiError.notFound(`campaign "${req.params.id}"`);
      const units = await deliveredUnits(store.db, org.id, campaign.id);
      const attributes = [...(await getSegmentDeclarations(store.db, org.id)).map((d) => d.key), 'touchpoint'];
      return { delivered: units.length, responded: units.filter((u) => u.responded).length, attributes: nonResponseCheck(units, attributes) };
    },
  );
}
