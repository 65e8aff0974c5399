/** A problem found in a digest file, pointing at the offending line. */
export interface Warning {
  file: string;
  /** 1-based line of the offending text. */
  line: number;
  message: string;
}

/** One bullet of a paper's summary; `label` is the bold lead-in such as "What's New". */
export interface SummaryItem {
  label: string | null;
  /** Discord markdown; nested lists are kept as indented lines. */
  text: string;
}

/** A paper's thumbnail or video. Only http(s) URLs are ever stored. */
export interface Media {
  type: "image" | "video";
  url: string;
}

/** One paper entry of a digest. */
export interface Paper {
  /** arXiv id without version suffix, or null when the heading links elsewhere. */
  id: string | null;
  title: string;
  /** The heading's link, as written. */
  url: string;
  votes: number | null;
  authors: string[];
  /** True when the source list ended with a `+` entry (the list was cut). */
  authorsTruncated: boolean;
  media: Media | null;
  summary: SummaryItem[];
}

/** One day's digest. */
export interface Digest {
  /** YYYY-MM-DD */
  date: string;
  /** The file it was read from, as given to the parser. */
  source: string;
  papers: Paper[];
  warnings: Warning[];
}

/** A file that could not be read as a digest at all. */
export interface DigestError {
  file: string;
  message: string;
}
