/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A `<t:seconds:style>` timestamp as text: Discord shows the reader's local time; this, UTC. */
function timestampText(seconds: string, style: string | undefined): string | null {
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return null;
  const [day, time] = date.toISOString().split("T") as [string, string];
  const clock = `${time.slice(0, 5)} UTC`;
  if (style === "d" || style === "D") return day;
  return style === "t" || style === "T" ? clock : `${day} ${clock}`;
}

/**
 * The Discord markdown Paperboy writes (bold, italics, inline code, http(s) links, `> ` quoted
 * lines, `<t:…>` timestamps, line breaks) as HTML, escaping everything else.
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
  html = html.replace(
    /(?<!\\)&#60;t:(-?\d{1,13})(?::([tTdDfFR]))?&#62;/g,
    (whole, seconds, style) => {
      const text = timestampText(seconds, style);
      return text === null ? whole : `<discord-time>${text}</discord-time>`;
    },
  );
  // A quote is a block of its own: the line breaks around it are its edges. (Before the escapes
  // go: `\>` and `\<` are a plain `>` and `<`.)
  html = html.replace(/\n?^&#62; (.*)$\n?/gm, "<discord-quote>$1</discord-quote>");
  // Discord hides the backslash before any ASCII punctuation (`<` and the like are entities here).
  html = html.replace(/\\(&#\d+;|[!-/:-@[-`{-~])/g, "$1");
  return html.replace(/\n/g, "<br>");
}
