// The one way the dashboard talks to the JSON API: same-origin fetch with the session cookie, the
// CSRF token on every write, and the API's error shape turned into an ApiFailure the views can show.

export interface FieldError {
  field: string;
  message: string;
}

export class ApiFailure extends Error {
  constructor(
    public readonly status: number,
    message: string,
    public readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
  /** The message for one field (e.g. "dimensions.2.label"), if the API named it. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.message;
  }
}

let csrfToken: string | null = null;
export const setCsrfToken = (t: string | null) => {
  csrfToken = t;
};

/** Called when any request comes back 401, so the app can send the user to the login page. */
let onUnauthorised: (() => void) | null = null;
export const setUnauthorisedHandler = (fn: (() => void) | null) => {
  onUnauthorised = fn;
};

export const API = '/api/v1';

export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal; quiet401?: boolean } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path.startsWith('/') ? path : `${API}/${path}`, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
      signal: init.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiFailure(0, 'The server could not be reached. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: any = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    if (res.status === 401 && !init.quiet401) onUnauthorised?.();
    const message = body?.message ?? `${res.status} ${res.statusText}`;
    throw new ApiFailure(res.status, message, Array.isArray(body?.fields) ? body.fields : []);
  }
  return body as T;
}

/** Words for an error a person can act on. */
export function describeFailure(e: unknown): string {
  if (e instanceof ApiFailure) {
    if (e.status === 403) return 'Your role in this organisation does not allow this.';
    if (e.status === 404) return `Not found: ${e.message}`;
    if (e.status >= 500) return 'Something went wrong on the server. Try again in a moment.';
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
