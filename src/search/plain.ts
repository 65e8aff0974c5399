/** Discord markdown without its markup: for searching, not for display. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\((https?:[^)]*)\)/g, "$1")
    .replace(/\\([\\*_~`|])/g, "$1")
    .replace(/[*_~`]+/g, "");
}
