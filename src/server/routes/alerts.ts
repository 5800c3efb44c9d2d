// Alerts API (issue 13): /organisations/:org/alert-settings — which kinds are raised, the tests'
// significance level and the SLA backlog threshold (read by admins and analysts, changed by admins) —
// and /organisations/:org/alerts, the latest alerts raised (admins and analysts: an alert names
// touchpoints, which owners see only for their own department).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { AlertSettings } from '../../core/alerts.ts';
import { getAlertSettings, listAlerts, saveAlertSettings } from '../../store/alerts.ts';
import { requireOrg } from './setup.ts';

const OrgParams = z.object({ org: z.string().max(60) });
const RaisedAlert = z.object({ kind: z.string(), subject: z.string(), period: z.string(), summary: z.string(), data: z.record(z.string(), z.unknown()), raisedAt: z.string() });

export async function alertRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/organisations/:org/alert-settings',
    { config: { access: 'setup' }, schema: { tags: ['alerts'], description: 'The alert settings (defaults until changed).', params: OrgParams, response: { 200: z.object({ settings: AlertSettings }) } } },
    async (req) => {
      await requireOrg(store, req.params.org);
      return { settings: await getAlertSettings(store.db, req.params.org) };
    },
  );

  r.put(
    '/organisations/:org/alert-settings',
    { config: { access: 'admin' }, schema: { tags: ['alerts'], description: 'Replaces the alert settings.', params: OrgParams, body: AlertSettings, response: { 200: z.object({ settings: AlertSettings }) } } },
    async (req) => {
      await requireOrg(store, req.params.org);
      const settings = { ...req.body, kinds: [...new Set(req.body.kinds)] };
      await saveAlertSettings(store.db, req.params.org, settings);
      return { settings };
    },
  );

  r.get(
    '/organisations/:org/alerts',
    {
      config: { access: 'setup' },
      schema: {
        tags: ['alerts'],
        description: 'The latest alerts raised, newest first.',
        params: OrgParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ alerts: z.array(RaisedAlert) }) },
      },
    },
    async (req) => {
      await requireOrg(store, req.params.org);
      return { alerts: await listAlerts(store.db, req.params.org, req.query.limit) };
    },
  );
}
