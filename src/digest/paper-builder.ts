import type { Html, List, Paragraph } from "mdast";
import { arxivIdFromUrl } from "./arxiv.js";
import { parseAuthors } from "./authors.js";
import { classifyLine, paragraphLines, videoSource } from "./fields.js";
import { toDiscordMarkdown } from "./inline.js";
import type { Media, Paper, SummaryItem } from "./model.js";
import { renderList, summaryItemFromListItem } from "./summary.js";
import { cleanText, isHttpUrl } from "./text.js";

/**
 * A paper's summary keeps at most this many characters: the longest in years of real digests is
 * about 2,000, and Discord shows at most 4,096 in an embed's description. Past it a paper's text
 * is cut (with a warning), so one overgrown entry cannot make a digest megabytes in memory.
 */
export const MAX_SUMMARY_CHARS = 8_000;

/** Reports a problem at a 1-based line of the file being parsed. */
export type Warn = (line: number, message: string) => void;

/** Collects one paper's fields from the blocks under its `###` heading. */
export class PaperBuilder {
  readonly line: number;
  private readonly paper: Paper;
  private lastList: List | null = null;
  /** Characters of summary kept so far (labels and text). */
  private summaryChars = 0;
  /** Set once the summary reached `MAX_SUMMARY_CHARS`: the rest of the paper's text is dropped. */
  private cut = false;

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

  /** True once the summary reached its limit: the rest of the paper's text is not needed. */
  get full(): boolean {
    return this.cut;
  }

  /** The finished paper. */
  build(): Paper {
    return this.paper;
  }

  /** Reads a paragraph field by field: media, `Vote:`, `Authors:`, or summary prose. */
  addParagraph(paragraph: Paragraph): void {
    this.lastList = null;
    let prose: string[] = [];
    let proseLine = paragraph.position?.start.line ?? this.line;
    const flushProse = () => {
      const text = cleanText(prose.join("\n"));
      if (text !== "") this.pushSummary({ label: null, text }, proseLine);
      prose = [];
    };
    for (const line of paragraphLines(paragraph)) {
      const field = classifyLine(line);
      if (field.kind === "text") {
        if (prose.length === 0) proseLine = line.line;
        if (!this.cut) prose.push(toDiscordMarkdown(line.nodes));
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
    const line = list.position?.start.line ?? this.line;
    if (adjacent && !this.cut) {
      const text = cleanText(`${last.text}\n${renderList(list, 1)}`);
      this.summaryChars -= last.text.length;
      last.text = this.within(text, line);
    } else {
      for (const item of list.children)
        this.pushSummary(summaryItemFromListItem(item), item.position?.start.line ?? line);
    }
    this.lastList = list;
  }

  /** Any other block under a paper (a quote, a code block) is kept as summary prose. */
  addOther(text: string, line: number): void {
    this.lastList = null;
    const cleaned = cleanText(text);
    if (cleaned !== "") this.pushSummary({ label: null, text: cleaned }, line);
  }

  private pushSummary(item: SummaryItem, line: number): void {
    if (this.cut || (item.text === "" && item.label === null)) return;
    this.summaryChars += item.label?.length ?? 0;
    const text = this.within(item.text, line);
    if (text !== "" || item.label !== null) this.paper.summary.push({ ...item, text });
  }

  /** `text` counted into the summary, cut where the summary reaches its limit (warned once). */
  private within(text: string, line: number): string {
    const room = MAX_SUMMARY_CHARS - this.summaryChars;
    if (text.length <= room) {
      this.summaryChars += text.length;
      return text;
    }
    this.cut = true;
    this.summaryChars = MAX_SUMMARY_CHARS;
    const limit = MAX_SUMMARY_CHARS.toLocaleString("en-US");
    this.warn(line, `summary longer than ${limit} characters; cut here, the rest was not read`);
    // Not between the two halves of a surrogate pair.
    const cut = Math.max(0, room - 1);
    const end = /[\uD800-\uDBFF]/.test(text.charAt(cut - 1)) ? cut - 1 : cut;
    return `${text.slice(0, end).trimEnd()}…`;
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
