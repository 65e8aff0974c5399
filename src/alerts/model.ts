import type { Language } from "../i18n.js";

/** What a reader follows: an author (by name) or a topic (words searched in titles and summaries). */
export type FollowKind = "author" | "topic";

/** At most this many follows per reader. */
export const MAX_FOLLOWS = 25;
/** A topic's length, in characters. */
export const MAX_TOPIC_LENGTH = 100;

/** One thing one reader follows. */
export interface Follow {
  id: number;
  userId: string;
  kind: FollowKind;
  /** As the reader wrote it (an author's name as the archive spells it). */
  value: string;
  /** What is matched: the folded name, or the topic's folded words joined by spaces. */
  key: string;
  /** The database's clock, epoch ms: the follow alerts only for digests that arrived after it. */
  createdMs: number;
  createdAt: string;
}

/** A reader who follows something: how to reach them, and whether Discord let the bot. */
export interface Reader {
  userId: string;
  /** The language of their last command: their alerts are written in it. */
  language: Language;
  dmChannelId: string | null;
  /** The digest whose alert Discord refused (50007: the reader allows no DMs from the bot). */
  dmsClosedDate: string | null;
  /** True until the reader has been told, on their next command, that an alert was refused. */
  closedNotice: boolean;
}

export type AddFollowResult =
  | { status: "added"; follow: Follow }
  | { status: "exists"; follow: Follow }
  | { status: "full"; count: number };

/** A digest as the alerts know it: when it first arrived, and whether readers were matched. */
export interface AlertDigest {
  date: string;
  arrivedMs: number;
  matched: boolean;
}

/** Counts for `/status` and `/metrics`. */
export interface AlertCounts {
  /** Readers with at least one follow. */
  followers: number;
  follows: number;
  /** Alerts delivered, refused by Discord (DMs closed), failed otherwise, and still to send. */
  sent: number;
  refused: number;
  failed: number;
  pending: number;
}

/** One alert as a reader's exported data shows it. */
export interface AlertRecord {
  digestDate: string;
  status: string;
  createdAt: string;
  finishedAt: string | null;
}

/** Everything Paperboy keeps about one reader. */
export interface ReaderData {
  userId: string;
  reader: Reader | null;
  follows: Follow[];
  alerts: AlertRecord[];
}

/** How the ledger's error of an alert Discord refused (50007) begins: counted as refused. */
export const DMS_CLOSED = "DMs closed (50007)";

/** The ledger's channel id of a reader's alerts: one scheduled delivery per reader and digest. */
export function alertChannel(userId: string): string {
  return `dm:${userId}`;
}

/** The reader an alert delivery goes to, or null for a channel delivery. */
export function alertReader(channelId: string): string | null {
  return channelId.startsWith("dm:") ? channelId.slice(3) : null;
}

/** Readers, their follows and the digests they were matched against (SQLite and PostgreSQL). */
export interface FollowStore {
  /** Adds a follow unless the reader has it or already has `max`; records the reader's language. */
  addFollow(
    input: { userId: string; kind: FollowKind; value: string; key: string; language: Language },
    max: number,
  ): Promise<AddFollowResult>;
  /** One reader's follows, oldest first. */
  follows(userId: string): Promise<Follow[]>;
  /** Removes one of the reader's own follows; null when they have no such follow. */
  removeFollow(userId: string, id: number): Promise<Follow | null>;
  /** Every follow of every reader (for matching a digest). */
  allFollows(): Promise<Follow[]>;
  reader(userId: string): Promise<Reader | null>;
  /** Every reader (for addressing a digest's alerts). */
  readers(): Promise<Reader[]>;
  /** The language of the reader's last command (only for a reader already known). */
  setReaderLanguage(userId: string, language: Language): Promise<void>;
  setDmChannel(userId: string, channelId: string): Promise<void>;
  /** Discord refused the alert of `digestDate` (50007): kept, and told on the next command. */
  markDmsClosed(userId: string, digestDate: string): Promise<void>;
  /** An alert arrived: the reader's DMs are open. */
  markDmsOpen(userId: string): Promise<void>;
  /** The date of a refused alert not told yet, marking it told; null when there is none. */
  takeClosedNotice(userId: string): Promise<string | null>;
  /** Records when digests first arrived (a date seen before keeps its first arrival). */
  noteArrivals(dates: readonly string[]): Promise<void>;
  alertDigests(): Promise<AlertDigest[]>;
  markMatched(date: string): Promise<void>;
  alertCounts(): Promise<AlertCounts>;
  readerData(userId: string): Promise<ReaderData>;
  /** Deletes every follow, the reader and their alerts; returns how many rows of each went. */
  deleteReader(userId: string): Promise<{ follows: number; alerts: number; reader: boolean }>;
}
