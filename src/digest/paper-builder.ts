import type { Html, List, Paragraph } from "mdast";
import { arxivIdFromUrl } from "./arxiv.js";
import { parseAuthors } from "./authors.js";
import { classifyLine, paragraphLines, videoSource } from "./fields.js";
import { toDiscordMarkdown } from "./inline.js";
import type { Media, Paper, SummaryItem } from "./model.js";
import { renderList, summaryItemFromListItem } from "./summary.js";
import { cleanText, isHttpUrl } from "./text.js";

/** Reports a problem at a 1-based line of the file being parsed. */
export type Warn = (line: number, message: string) => void;

/** Collects one paper's fields from the blocks under its `###` heading. */
export class PaperBuilder {
  readonly line: number;
  private readonly paper: Paper;
  private lastList: List | null = null;

  constructor(
    title: string,
    url: string,
    line: number,
    private readonly sourceLines: readonly string[],
    private readonly warn: Warn,
  ) {
    this.line = line;
    this.paper = {
      id: arxivIdFromUrl(url),
      title,
      url,
      votes: null,
      authors: [],
      authorsTruncated: false,
      media: null,
      summary: [],
    };
  }

  /** The finished paper. */
  build(): Paper {
    return this.paper;
  }

  /** Reads a paragraph field by field: media, `Vote:`, `Authors:`, or summary prose. */
  addParagraph(paragraph: Paragraph): void {
    this.lastList = null;
    let prose: string[] = [];
    const flushProse = () => {
      const text = cleanText(prose.join("\n"));
      if (text !== "") this.paper.summary.push({ label: null, text });
      prose = [];
    };
    for (const line of paragraphLines(paragraph)) {
      const field = classifyLine(line);
      if (field.kind === "text") {
        prose.push(toDiscordMarkdown(line.nodes));
        continue;
      }
      flushProse();
      if (field.kind === "media") this.setMedia(field.type, field.url, line.line);
      else if (field.kind === "votes") this.setVotes(field.value, line.line);
      else this.setAuthors(line.line, line.text);
    }
    flushProse();
  }

  /** Reads a raw HTML block: a `<video src=…>` is the paper's video. */
  addHtml(html: Html): void {
    this.lastList = null;
    const src = videoSource(html.value);
    if (src !== null) this.setMedia("video", src, html.position?.start.line ?? this.line);
  }

  /** Adds a list's bullets to the summary; a numbered list right under a bullet continues that bullet. */
  addList(list: List): void {
    const previous = this.lastList;
    const last = this.paper.summary.at(-1);
    const adjacent =
      previous !== null &&
      last !== undefined &&
      list.ordered === true &&
      !previous.ordered &&
      list.position !== undefined &&
      previous.position !== undefined &&
      list.position.start.line === previous.position.end.line + 1;
    if (adjacent) {
      last.text = cleanText(`${last.text}\n${renderList(list, 1)}`);
    } else {
      for (const item of list.children) this.pushSummary(summaryItemFromListItem(item));
    }
    this.lastList = list;
  }

  /** Any other block under a paper (a quote, a code block) is kept as summary prose. */
  addOther(text: string): void {
    this.lastList = null;
    const cleaned = cleanText(text);
    if (cleaned !== "") this.pushSummary({ label: null, text: cleaned });
  }

  private pushSummary(item: SummaryItem): void {
    if (item.text !== "" || item.label !== null) this.paper.summary.push(item);
  }

  private setMedia(type: Media["type"], rawUrl: string, line: number): void {
    const url = rawUrl.trim();
    if (!isHttpUrl(url)) {
      this.warn(line, `${type} URL "${url.slice(0, 80)}" is not http(s); dropped`);
      return;
    }
    if (this.paper.media === null) this.paper.media = { type, url };
  }

  private setVotes(value: string, line: number): void {
    const text = value.trim();
    if (/^\d+$/.test(text)) {
      this.paper.votes = Number.parseInt(text, 10);
    } else if (text !== "-" && text !== "") {
      this.warn(line, `vote count "${text.slice(0, 40)}" is not a number; treated as unknown`);
    }
  }

  private setAuthors(line: number, text: string): void {
    // The raw line keeps the backslash escapes of a Python list, which markdown would consume.
    const raw = this.sourceLines[line - 1] ?? "";
    const source = /^\s*Authors?\s*:/i.test(raw) ? raw : text;
    const value = source.replace(/^\s*Authors?\s*:/i, "");
    const { authors, truncated, problem } = parseAuthors(value);
    if (problem !== null) this.warn(line, problem);
    this.paper.authors = authors.map(cleanText).filter((name) => name !== "");
    this.paper.authorsTruncated = truncated;
  }
}
