// A label reads as an address when it is a URL or starts with a domain name (`arxiv.org/abs/…`).
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const DOMAIN_START = /^(?:www\.)?[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?=$|[/:?#\s])/u;

/** The host a link label claims to point to, or null when the label does not read as an address. */
export function claimedHost(label: string): string | null {
  const text = label.trim();
  if (text === "" || /\s/.test(text.replace(/\s+$/, ""))) return null;
  if (SCHEME.test(text)) return hostOf(text);
  const domain = DOMAIN_START.exec(text)?.[0];
  return domain ? hostOf(`http://${domain}`) : null;
}

/** The lower-case host of a URL (punycode for international names), or null. */
export function hostOf(url: string): string | null {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host === "" ? null : host;
  } catch {
    return null;
  }
}

const bare = (host: string) => host.replace(/^www\./, "");

/**
 * The real host of a deceptive link — one whose label reads as an address of another host
 * (`[arxiv.org/abs/1](https://evil.example)` → `evil.example`) — or null for an honest link.
 */
export function deceptiveHost(label: string, url: string): string | null {
  const claimed = claimedHost(label);
  if (claimed === null) return null;
  const real = hostOf(url);
  if (real === null) return null;
  return bare(claimed) === bare(real) ? null : real;
}
