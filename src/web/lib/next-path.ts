// Where the dashboard goes after logging in: the `next` path from /login?next=…, if it stays on this
// site. A browser reads "/\evil.example" (and "//evil.example", or "/\t/evil.example" once the tab is
// dropped) as another host, so a plain startsWith('/') check lets the redirect leave the site — and
// history.replaceState then throws, leaving the page stuck. The path is therefore resolved as the
// browser would and kept only when it is same-origin and still a single-slash path.
export function safeNextPath(next: string | null | undefined, origin: string): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return '/';
  }
  if (url.origin !== origin) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Normalising can bring a double slash back ("/.//evil.example" → "//evil.example"); /login would loop.
  if (path.startsWith('//') || path === '/login' || path.startsWith('/login?') || path.startsWith('/login/') || path.startsWith('/login#')) return '/';
  return path;
}
