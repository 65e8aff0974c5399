import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One paper of a generated digest: `n` makes its arXiv id and title unique. */
export interface PaperSpec {
  n: number;
  votes: number;
  /** A different summary line, as when a paper is edited after delivery. */
  summary?: string;
}

/** A paper's title in a generated digest. */
export const paperTitle = (n: number) => `Generated Paper ${n}`;

/** The markdown of one paper section. */
export function paperSection({ n, votes, summary }: PaperSpec): string {
  const id = `2403.${String(10000 + n)}`;
  return [
    `### [${paperTitle(n)}](https://arxiv.org/abs/${id})`,
    "",
    `Vote: ${votes}`,
    "",
    `Authors: Author ${n}`,
    "",
    `- ${summary ?? `요약 ${n}`}`,
    "",
  ].join("\n");
}

/** The markdown of a digest holding `papers`. */
export function digestMarkdown(date: string, papers: readonly PaperSpec[]): string {
  return [`## Daily Papers (${date})`, "", ...papers.map(paperSection)].join("\n");
}

/** Writes `YYYY-MM-DD.md` into a digests folder; returns its name. */
export function writeDigest(dir: string, date: string, papers: readonly PaperSpec[]): string {
  const name = `${date}.md`;
  writeFileSync(join(dir, name), digestMarkdown(date, papers));
  return name;
}

/** Empties a test's digests folder of the sample, so only generated digests are there. */
export function removeSample(dir: string): void {
  rmSync(join(dir, "2024-02-20.md"));
}
