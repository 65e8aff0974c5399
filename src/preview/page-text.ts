import type { Language } from "../i18n.js";
import type { DeliveryMode } from "../render/digest-messages.js";

/** The words of the preview and demo pages (not of Discord messages: those are in i18n.ts). */
const PAGE_TEXT = {
  previewTitle: {
    ko: (date: string) => `Paperboy 미리 보기 — Daily Papers ${date}`,
    en: (date: string) => `Paperboy preview — Daily Papers ${date}`,
  },
  previewHeading: {
    ko: (date: string, papers: number, mode: string) =>
      `#daily-papers — ${date} · 논문 ${papers}편 · 방식: ${mode}`,
    en: (date: string, papers: number, mode: string) =>
      `#daily-papers — ${date} · ${papers} paper${papers === 1 ? "" : "s"} · mode: ${mode}`,
  },
  warnings: {
    ko: (n: number) => `경고 ${n}건`,
    en: (n: number) => `${n} warning${n === 1 ? "" : "s"}`,
  },
  mode: {
    ko: { embeds: "임베드", thread: "스레드", forum: "포럼" } as Record<DeliveryMode, string>,
    en: { embeds: "embeds", thread: "thread", forum: "forum" } as Record<DeliveryMode, string>,
  },
  /** A thread's call to action under its starter message, as Discord's client words it. */
  threadMessages: {
    ko: (n: number) => `메시지 ${n}개`,
    en: (n: number) => `${n} Message${n === 1 ? "" : "s"}`,
  },
  demoTitle: {
    ko: (server: string) => `Paperboy 데모 — ${server}`,
    en: (server: string) => `Paperboy demo — ${server}`,
  },
  demoHeading: {
    ko: (server: string) => `${server} — 로컬 Discord 에뮬레이터에서 Paperboy가 올린 글`,
    en: (server: string) => `${server} — what Paperboy posted, on a local Discord emulator`,
  },
  modeLabel: { ko: "방식", en: "mode" },
  commands: { ko: "슬래시 명령", en: "Slash commands" },
  reader: { ko: "독자", en: "reader" },
  inDm: { ko: "봇과의 DM", en: "in a DM with the bot" },
  otherLanguage: { ko: "English", en: "한국어" },
  /** The line above a command's reply: who used which command. */
  used: {
    ko: (user: string, command: string) => `${user}님이 /${command} 사용`,
    en: (user: string, command: string) => `${user} used /${command}`,
  },
} as const;

type PageText = typeof PAGE_TEXT;

/** One page text in `language`. */
export function pageText<K extends keyof PageText>(key: K, language: Language): PageText[K]["ko"] {
  return PAGE_TEXT[key][language] as PageText[K]["ko"];
}
