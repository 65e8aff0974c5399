/**
 * A deliberately naive, line-based reading of a digest, independent of the markdown parser,
 * used to cross-check the parser over the real corpus.
 */
export interface LinePaper {
  id: string | null;
  votes: number | null;
  authorCount: number;
  truncated: boolean;
  media: "image" | "video" | null;
  bullets: number;
}

/** Reads the `### [title](url)` sections of a digest line by line. */
export function readByLines(text: string): LinePaper[] {
  const papers: LinePaper[] = [];
  let current: LinePaper | null = null;
  let inSection = true;
  for (const line of text.replace(/\r\n/g, "\n").split("\n")) {
    if (/^## /.test(line)) {
      inSection = /^## Daily Papers \(/.test(line);
      current = null;
      continue;
    }
    if (!inSection) continue;
    const heading = /^### \[.*\]\((\S+)\)\s*$/.exec(line);
    if (heading) {
      const id = /arxiv\.org\/(?:abs|pdf)\/(\d{4}\.\d{4,5})/.exec(heading[1] ?? "")?.[1] ?? null;
      current = { id, votes: null, authorCount: 0, truncated: false, media: null, bullets: 0 };
      papers.push(current);
      continue;
    }
    if (current === null) continue;
    const vote = /^Vote: (\d+)$/.exec(line);
    if (vote) current.votes = Number(vote[1]);
    if (line.startsWith("Authors: ")) {
      const body = line.slice("Authors: ".length).replace(/^\[|\]$/g, "");
      const names = body.split(/,\s*/).map((name) => name.replace(/^['"]|['"]$/g, "").trim());
      current.truncated = names.includes("+");
      current.authorCount = names.filter((name) => name !== "+" && name !== "").length;
    }
    if (current.media === null) {
      if (/^!\[\]\(https?:/.test(line)) current.media = "image";
      else if (/^\[Watch Video\]\(?https?:|^<video src=/.test(line)) current.media = "video";
    }
    if (/^[-*] /.test(line)) current.bullets++;
  }
  return papers;
}
