// The audit trail in one place: a hook records every successful request to a route that declares
// `config: { audit: 'action.name' }` (views of individual-level data, exports), and every successful
// write under /api/v1/organisations/:org even when its route declares nothing (set-up, members, keys),
// so a new route cannot forget it. `audit: false` opts a route out. Entries carry who (user or API key),
// what, which target, and details that never hold secrets or respondents' text: body field NAMES, the
// values of a few harmless fields, and the filters of a view.
// Also GET /organisations/:org/audit-log (admins; newest first, keyset-paginated).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../store/db.ts';
import { listAudit, MAX_AUDIT_PAGE, recordAudit } from '../store/audit-log.ts';
import { BadCursor } from '../store/page-cursor.ts';
import { getUser } from '../store/users.ts';
import { ApiError } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The audit action this route records on success (e.g. 'verbatims.view'); false: never audited. */
    audit?: string | false;
  }
}

const ORG_ROUTE = /^\/api\/v1\/organisations\/:([A-Za-z_][A-Za-z0-9_]*)/;
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const VERB: Record<string, string> = { POST: 'create', PUT: 'replace', PATCH: 'update', DELETE: 'delete' };
// Values worth keeping because they say what changed and are neither secret nor respondents' words.
const KEPT_VALUES = new Set(['role', 'department', 'active', 'industry', 'minResponses', 'name', 'email', 'function', 'count', 'perspective']);
// Never kept, even as a query value of a view.
const SECRET = /pass|secret|token|key|comment|cookie|authori[sz]ation/i;

/** 'members.update' for PATCH /api/v1/organisations/:org/members/:userId: the fixed path words + the verb. */
export function derivedAction(routeUrl: string, method: string): string {
  const words = routeUrl
    .replace(ORG_ROUTE, '')
    .split('/')
    .filter((w) => w && !w.startsWith(':'));
  return `${words.length ? words.join('.') : 'organisation'}.${VERB[method] ?? method.toLowerCase()}`;
}

const short = (v: unknown): unknown => {
  if (typeof v === 'string') return v.length > 200 ? `${v.slice(0, 200)}…` : v;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
  return undefined;
};

function detailsOf(req: FastifyRequest, status: number): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  out.status = status;
  const body = req.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const keys = Object.keys(body).slice(0, 50);
    out.fields = keys;
    for (const k of keys) if (KEPT_VALUES.has(k) && short((body as any)[k]) !== undefined) out[k] = short((body as any)[k]);
  }
  const query = req.query;
  if (query && typeof query === 'object' && Object.keys(query).length) {
    const q: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(query).slice(0, 30)) {
      if (SECRET.test(k)) continue;
      q[k] = Array.isArray(v) ? v.slice(0, 20).map(short) : short(v);
    }
    out.query = q;
  }
  return { ...out };
}

/** The request's target: its route path below the organisation, with the parameters filled in. */
function targetOf(req: FastifyRequest, routeUrl: string): string {
  const params = (req.params ?? {}) as Record<string, unknown>;
  return routeUrl.replace(ORG_ROUTE, '').replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => String(params[name] ?? ''));
}

export async function auditHook(app: FastifyInstance, store: Store): Promise<void> {
  // onSend, not onResponse: the entry is written before the answer leaves, so an action whose audit
  // entry cannot be written is answered 500 (fail closed) and a client that got the answer finds the entry.
  app.addHook('onSend', async (req, reply, payload) => {
    const url = req.routeOptions.url;
    const declared = req.routeOptions.config?.audit;
    if (!url || declared === false || reply.statusCode >= 400) return payload;
    const orgParam = ORG_ROUTE.exec(url)?.[1];
    const action = declared ?? (orgParam && !SAFE.has(req.method) ? derivedAction(url, req.method) : undefined);
    const a = req.access;
    if (!action || !a) return payload;
    const orgId = a.orgId ?? (orgParam ? String((req.params as Record<string, unknown>)[orgParam] ?? '') : '');
    if (!orgId) return payload;
    let actor: { kind: 'user' | 'api_key'; id: string | null; label: string };
    if (a.apiKeyId) {
      const key = await store.db.selectFrom('api_keys').select('name').where('org_id', '=', orgId).where('id', '=', a.apiKeyId).executeTakeFirst();
      actor = { kind: 'api_key', id: a.apiKeyId, label: key ? `API key "${key.name}"` : 'API key' };
    } else {
      const user = a.userId ? await getUser(store.db, a.userId) : undefined;
      actor = { kind: 'user', id: a.userId, label: user?.email ?? 'unknown user' };
    }
    await recordAudit(store.db, { orgId, actor, action, target: targetOf(req, url), details: detailsOf(req, reply.statusCode), requestId: req.id });
    return payload;
  });
}

const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ kind: z.enum(['user', 'api_key', 'cli']), id: z.string().nullable(), label: z.string() }),
  action: z.string(),
  target: z.string(),
  details: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable().describe('the X-Request-Id of the request, to find it in the server log'),
});

export async function auditRoutes(app: FastifyInstance, store: Store): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/organisations/:org/audit-log',
    {
      config: { access: 'admin', audit: false },
      schema: {
        tags: ['audit'],
        description:
          'Who viewed individual-level data (verbatims, calibration), exported, or changed set-up, members or API keys, newest first. ' +
          'Pass `next` from one page as `before` to get the following one.',
        params: z.object({ org: z.string().max(60) }),
        querystring: z
          .object({
            limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(50),
            before: z.string().max(200).optional().describe('the `next` cursor of the previous page'),
            action: z.string().max(120).optional().describe('only this action, e.g. "verbatims.view"'),
          })
          .strict(),
        response: { 200: z.object({ entries: z.array(AuditEntry), next: z.string().nullable() }) },
      },
    },
    async (req) => {
      try {
        return await listAudit(store.db, req.params.org, req.query);
      } catch (e) {
        if (e instanceof BadCursor) throw new ApiError(400, `before: ${e.message}`, [{ field: 'before', message: e.message }]);
        throw e;
      }
    },
  );
}
