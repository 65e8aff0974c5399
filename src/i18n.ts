/** Interface languages, chosen per server. */
export type Language = "ko" | "en";
export const LANGUAGES: readonly Language[] = ["ko", "en"];

const TEXT = {
  header: {
    ko: (date: string, count: number) => `📰 **Daily Papers — ${date}** · 논문 ${count}편`,
    en: (date: string, count: number) =>
      `📰 **Daily Papers — ${date}** · ${count} paper${count === 1 ? "" : "s"}`,
  },
  updateHeader: {
    ko: (date: string, count: number) => `➕ **Daily Papers — ${date}** · 논문 ${count}편 추가`,
    en: (date: string, count: number) =>
      `➕ **Daily Papers — ${date}** · ${count} more paper${count === 1 ? "" : "s"}`,
  },
  topPaper: {
    ko: (title: string, votes: string) => `오늘의 1위: **${title}** (${votes})`,
    en: (title: string, votes: string) => `Top paper: **${title}** (${votes})`,
  },
  votes: { ko: "추천", en: "Votes" },
  voteCount: { ko: (n: number) => `👍 ${n}`, en: (n: number) => `👍 ${n}` },
  unknownVotes: { ko: "집계 없음", en: "not counted" },
  authors: { ko: "저자", en: "Authors" },
  noAuthors: { ko: "정보 없음", en: "not listed" },
  moreAuthors: { ko: (n: number) => `외 ${n}명`, en: (n: number) => `and ${n} more` },
  cutList: { ko: "(원문 목록 일부)", en: "(list cut at the source)" },
  links: { ko: "링크", en: "Links" },
  pdf: { ko: "PDF", en: "PDF" },
  video: { ko: "영상", en: "Video" },
  paperPage: { ko: "논문 페이지", en: "Paper page" },
  footer: {
    ko: (date: string, rank: number, total: number) =>
      `Daily Papers ${date} · ${total}편 중 ${rank}위`,
    en: (date: string, rank: number, total: number) =>
      `Daily Papers ${date} · #${rank} of ${total}`,
  },
  threadName: {
    ko: (date: string) => `Daily Papers ${date}`,
    en: (date: string) => `Daily Papers ${date}`,
  },
  noPapers: { ko: "조건에 맞는 논문이 없습니다.", en: "No papers match this channel's filters." },
  paused: {
    ko: (channel: string, reason: string) =>
      `⚠️ Paperboy가 <#${channel}> 채널에 글을 올릴 수 없어 전달을 멈췄습니다: ${reason}. 권한을 고친 뒤 \`/config channel add\`로 다시 켜 주세요.`,
    en: (channel: string, reason: string) =>
      `⚠️ Paperboy paused deliveries to <#${channel}> because it cannot post there: ${reason}. Fix the bot's permissions, then run \`/config channel add\` again to resume.`,
  },
  reasonMissingAccess: {
    ko: "채널을 볼 권한 없음 (Missing Access)",
    en: "it cannot see the channel (Missing Access)",
  },
  reasonMissingPermissions: {
    ko: "필요한 권한 없음 (Missing Permissions)",
    en: "it lacks a permission (Missing Permissions)",
  },
  unknownCommand: {
    ko: "알 수 없는 명령입니다. 봇이 명령을 업데이트하는 중일 수 있으니 잠시 뒤 다시 시도해 주세요.",
    en: "Unknown command. The bot may be updating its commands: try again in a minute.",
  },
  outdatedOptions: {
    ko: "이 명령의 옵션이 봇이 아는 것과 다릅니다. 명령 목록이 오래되었을 수 있으니 관리자에게 `npm run deploy-commands` 실행을 부탁하고, 잠시 뒤 다시 시도해 주세요.",
    en: "This command's options are not the ones this bot knows: its command list may be out of date. Ask the bot's admin to run `npm run deploy-commands`, then try again in a minute.",
  },
  databaseTrouble: {
    ko: "봇의 데이터베이스에 지금 쓸 수 없습니다. 잠시 뒤 다시 시도해 주세요. 계속되면 관리자에게 /status 를 확인해 달라고 알려 주세요.",
    en: "The bot cannot write to its database right now. Try again in a minute; if it goes on, ask the bot's admin to check /status.",
  },
  somethingWrong: {
    ko: (ref: string) => `문제가 생겼습니다. 관리자에게 참조 번호 \`${ref}\`를 알려 주세요.`,
    en: (ref: string) => `Something went wrong. Give the bot's admin this reference: \`${ref}\`.`,
  },
  notAllowed: {
    ko: "이 명령은 서버 관리 권한이 있는 멤버만 쓸 수 있습니다. 서버 관리자에게 대신 실행하거나 권한을 달라고 요청해 주세요.",
    en: "This command needs the Manage Server permission. Ask a server admin to run it, or to give you that permission.",
  },
  guildOnly: {
    ko: "서버 안에서만 쓸 수 있는 명령입니다.",
    en: "This command only works inside a server.",
  },
  noSuchPaper: {
    ko: (query: string) =>
      `"${query}"에 맞는 논문을 찾지 못했습니다. 제목 일부나 arXiv 번호(예: 2402.11131)로 찾아 보세요.`,
    en: (query: string) =>
      `No paper matches "${query}". Try part of the title or an arXiv id such as 2402.11131.`,
  },
  reasonTagRequired: {
    ko: "포럼이 글마다 태그를 요구함 (`/config channel add`의 tag 옵션으로 태그를 골라 주세요)",
    en: "the forum requires a tag on every post (pick one with the tag option of `/config channel add`)",
  },
  reasonMissingPermission: {
    ko: (permissions: string) => `권한 없음: ${permissions}`,
    en: (permissions: string) => `missing ${permissions}`,
  },
  deliveryReport: {
    ko: (delivered: number, total: number) => `메시지 ${total}개 중 ${delivered}개 전달`,
    en: (delivered: number, total: number) => `${delivered} of ${total} messages delivered`,
  },
  reportWithoutEmbeds: {
    ko: (n: number) => `${n}개는 임베드 없이 도착 (임베드 링크 권한 없음)`,
    en: (n: number) => `${n} arrived without embeds (no Embed Links)`,
  },
  reportDeleted: {
    ko: (n: number) => `${n}개는 전달 후 관리자가 삭제`,
    en: (n: number) => `${n} since deleted by a moderator`,
  },
  reportRefused: {
    ko: (n: number) => `${n}개는 Discord가 거부`,
    en: (n: number) => `${n} refused by Discord`,
  },
  reportStatus: {
    ko: {
      done: "완료",
      failed: "실패",
      paused: "멈춤",
      pending: "진행 중",
      queued: "대기열에 추가됨 (곧 전송됩니다)",
    },
    en: {
      done: "done",
      failed: "failed",
      paused: "paused",
      pending: "pending",
      queued: "queued (it is sent shortly)",
    },
  },
  reasonUnknownChannel: {
    ko: "채널이 삭제됨 (Unknown Channel)",
    en: "the channel no longer exists (Unknown Channel)",
  },
};

type Texts = typeof TEXT;

/** The text for `key` in `language`. */
export function t<K extends keyof Texts>(language: Language, key: K): Texts[K]["en"] {
  return TEXT[key][language] as Texts[K]["en"];
}
