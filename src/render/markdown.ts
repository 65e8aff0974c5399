import { deceptiveHost } from "../digest/links.js";

// Everything Discord reads as markup in message text: emphasis, code, spoilers, links, quotes,
// headings, lists, mentions and custom emoji.
const MARKUP = /[\\*_~`|[\]()<>#@:-]/g;

/** Escapes digest text so that Discord shows it as written and never as markup or a link. */
export function escapeMarkdown(text: string): string {
  return text.replace(MARKUP, "\\$&").replace(/(https?):\/\//gi, "$1\\://");
}

/**
 * A masked link whose label is plain digest text. A label that reads as an address of another
 * host is shown as text, followed by the real host as the link.
 */
export function honestLink(label: string, url: string): string {
  const realHost = deceptiveHost(label, url);
  const text = escapeMarkdown(label);
  return realHost === null ? `[${text}](${url})` : `${text} ([${realHost}](${url}))`;
}
