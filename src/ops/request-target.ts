/**
 * The path of an HTTP request target, without its query, or null for a target that names no path
 * (`*`, garbage). Never throws: any string a client sends is an answer, not a crash. The path is
 * compared as sent (no percent-decoding), so `/healthz` is the only spelling of `/healthz`.
 */
export function requestPath(target: string | undefined): string | null {
  if (target === undefined || target === "") return null;
  let rest = target;
  if (!rest.startsWith("/")) {
    // Absolute form (`http://host/healthz`), which HTTP/1.1 servers must accept.
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(rest);
    if (!scheme) return null;
    rest = rest.slice(scheme[0].length);
    if (!rest.startsWith("/")) rest = `/${rest}`;
  }
  const end = rest.search(/[?#]/);
  return end === -1 ? rest : rest.slice(0, end);
}
