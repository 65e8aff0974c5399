/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The Discord markdown Paperboy writes (bold, italics, inline code, http(s) links, line breaks)
 * as HTML, escaping everything else.
 */
export function discordMarkdownToHtml(markdown: string): string {
  let html = escapeHtml(markdown);
  html = html.replace(/`([^`]+)`/g, "<code>$1</code>");
  html = html.replace(
    /\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g,
    '<a href="$2" target="_blank" rel="noopener">$1</a>',
  );
  html = html.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
  html = html.replace(/(^|[^*\\])\*([^*\n]+)\*/g, "$1<em>$2</em>");
  // Discord hides the backslash before any ASCII punctuation (`<` and the like are entities here).
  html = html.replace(/\\(&#\d+;|[!-/:-@[-`{-~])/g, "$1");
  return html.replace(/\n/g, "<br>");
}
