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
  dmHeading: { ko: "독자님과 봇의 DM", en: "The reader's DM with the bot" },
  dmAbout: { ko: "팔로우 알림", en: "follow alerts" },
  /** Between the reader's follows and the alert: the digest that arrived after them. */
  arrived: {
    ko: (date: string) =>
      `Daily Papers ${date} 다이제스트가 폴더에 도착했습니다. 봇이 팔로우와 맞는 논문을 찾아 DM을 보냅니다.`,
    en: (date: string) =>
      `The Daily Papers ${date} digest arrived in the folder: the bot finds the papers that match the follows and sends a DM.`,
  },
  /** The line above what a button opened: who pressed which button. */
  pressed: {
    ko: (user: string, button: string) => `${user}님이 “${button}” 버튼을 누름`,
    en: (user: string, button: string) => `${user} pressed “${button}”`,
  },
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
