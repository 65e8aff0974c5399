import type { Language } from "../i18n.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Words of personal alerts: the direct message and the follow commands, in Korean and English. */
export const ALERT_TEXT = {
  alertTitle: {
    ko: (n: number, date: string) => `📬 팔로우한 논문 ${n}편 · Daily Papers ${date}`,
    en: (n: number, date: string) => `📬 ${plural(n, "paper")} you follow · Daily Papers ${date}`,
  },
  matchedAuthor: { ko: "저자", en: "Author" },
  matchedTopic: { ko: "주제", en: "Topic" },
  alertMore: {
    ko: (n: number, date: string) => `…외 ${n}편은 \`/digest date:${date}\`에서 보세요.`,
    en: (n: number, date: string) =>
      `…and ${plural(n, "more paper")}: see \`/digest date:${date}\`.`,
  },
  alertFooter: {
    ko: "팔로우 관리: /following · 전체 카드는 아래 버튼",
    en: "Manage what you follow: /following · buttons open the full card",
  },
  followAdded: {
    ko: (what: string, n: number, max: number) =>
      `✅ ${what} 팔로우를 시작했습니다 (${n}/${max}). 새 다이제스트에 맞는 논문이 있으면 DM으로 알려 드립니다.`,
    en: (what: string, n: number, max: number) =>
      `✅ Now following ${what} (${n}/${max}). When a new digest has a matching paper, you get a direct message.`,
  },
  followExists: {
    ko: (what: string) => `이미 ${what}을(를) 팔로우하고 있습니다. 목록은 \`/following\`.`,
    en: (what: string) => `You already follow ${what}. See them all with \`/following\`.`,
  },
  followFull: {
    ko: (max: number) =>
      `팔로우는 ${max}개까지입니다. \`/following\`이나 \`/unfollow\`로 하나를 지운 뒤 다시 시도해 주세요.`,
    en: (max: number) =>
      `You can follow at most ${max} authors and topics. Remove one with \`/following\` or \`/unfollow\`, then try again.`,
  },
  followOneOption: {
    ko: "`author`(저자)나 `topic`(주제) 중 하나만 적어 주세요. 예: `/follow author:Yann LeCun`",
    en: "Give either `author` or `topic`, not both or neither. For example `/follow author:Yann LeCun`.",
  },
  followEmptyTopic: {
    ko: "주제에 글자나 숫자가 없습니다. 예: `/follow topic:diffusion 영상`",
    en: "The topic has no letters or digits to match. For example `/follow topic:video diffusion`.",
  },
  followTopicLong: {
    ko: (max: number) => `주제는 ${max}자까지입니다.`,
    en: (max: number) => `A topic can be at most ${max} characters long.`,
  },
  followUnknownAuthor: {
    ko: (name: string) =>
      `아카이브에 "${name}" 저자가 없습니다. 입력하면서 나오는 추천에서 골라 주세요.`,
    en: (name: string) =>
      `No author named "${name}" is in the archive. Pick one of the suggestions that appear as you type.`,
  },
  dmHowTo: {
    ko: "알림은 DM으로 옵니다. 받으려면 이 봇과 같은 서버의 **개인정보 설정 → 서버 멤버가 보내는 다이렉트 메시지 허용**을 켜 두세요 (또는 앱을 내 계정에 추가하세요).",
    en: "Alerts come as direct messages. To get them, keep **Privacy Settings → Allow direct messages from server members** on for a server you share with the bot (or add the app to your account).",
  },
  dmHowToHere: {
    ko: "알림은 이 DM으로 옵니다. DM 설정을 바꾸면 못 받을 수 있으니, 개인정보 설정에서 이 앱의 DM을 허용해 두세요.",
    en: "Alerts come here, to this DM. Keep direct messages from this app allowed in your Privacy Settings to go on getting them.",
  },
  followingTitle: {
    ko: (n: number, max: number) => `🔔 팔로우 ${n}/${max}`,
    en: (n: number, max: number) => `🔔 You follow ${n} of ${max}`,
  },
  followingNone: {
    ko: "팔로우하는 저자나 주제가 없습니다. `/follow author:` 또는 `/follow topic:`으로 시작하세요.",
    en: "You follow no authors or topics yet. Start with `/follow author:` or `/follow topic:`.",
  },
  followingPrivate: {
    ko: "이 목록은 나만 볼 수 있습니다.",
    en: "Only you can see this list.",
  },
  removeLabel: { ko: (n: number) => `${n} 삭제`, en: (n: number) => `Remove ${n}` },
  exportLabel: { ko: "내 데이터 내보내기", en: "Export my data" },
  deleteLabel: { ko: "내 데이터 모두 삭제", en: "Delete all my data" },
  deleteConfirm: {
    ko: "팔로우와 알림 기록을 모두 지울까요? 되돌릴 수 없습니다.",
    en: "Delete every follow and your alert history? This cannot be undone.",
  },
  deleteYes: { ko: "네, 모두 삭제", en: "Yes, delete everything" },
  deleted: {
    ko: (follows: number, alerts: number) =>
      `🗑️ 팔로우 ${follows}개와 알림 기록 ${alerts}건을 지웠습니다. Paperboy에는 이제 당신에 대한 데이터가 없습니다.`,
    en: (follows: number, alerts: number) =>
      `🗑️ Deleted ${plural(follows, "follow")} and ${plural(alerts, "alert record")}. Paperboy keeps no data about you now.`,
  },
  removed: {
    ko: (what: string) => `${what} 팔로우를 그만뒀습니다.`,
    en: (what: string) => `Stopped following ${what}.`,
  },
  notFollowing: {
    ko: "그 팔로우는 이미 없습니다. `/following`으로 목록을 확인하세요.",
    en: "That follow no longer exists. See your list with `/following`.",
  },
  exportIntro: {
    ko: "Paperboy가 당신에 대해 저장한 모든 데이터입니다:",
    en: "Everything Paperboy keeps about you:",
  },
  dmsClosed: {
    ko: (date: string) =>
      `📭 ${date} 다이제스트 알림을 DM으로 보내지 못했습니다: Discord가 이 봇의 DM을 막았습니다. 받으려면 DM을 허용해 주세요.`,
    en: (date: string) =>
      `📭 Your alert for the ${date} digest could not be sent: Discord refused a direct message from this bot. Allow DMs to get the next ones.`,
  },
  authorWhat: { ko: (v: string) => `저자 **${v}**`, en: (v: string) => `author **${v}**` },
  topicWhat: { ko: (v: string) => `주제 **${v}**`, en: (v: string) => `topic **${v}**` },
  followSeveral: {
    ko: (name: string, names: string) =>
      `"${name}" 성을 가진 저자가 여러 명입니다 (${names}). 추천 목록에서 한 명을 골라 주세요.`,
    en: (name: string, names: string) =>
      `Several authors are called "${name}" (${names}). Pick one of the suggestions.`,
  },
  followUnknownYet: {
    ko: "아직 아카이브에 이 이름의 논문이 없습니다. 철자를 확인해 주세요; 이 이름의 논문이 나오면 알려 드립니다.",
    en: "The archive has no paper by this name yet. Check the spelling; you will be alerted when one appears.",
  },
  dmsClosedNow: {
    ko: (date: string) => `⚠️ ${date} 다이제스트 알림을 DM으로 보내지 못했습니다 (DM이 막혀 있음).`,
    en: (date: string) =>
      `⚠️ Your alert for ${date} could not be sent: your DMs are closed to the bot.`,
  },
  exportMore: {
    ko: "(더 오래된 알림 기록은 생략했습니다: 전체는 봇 운영자에게 요청하세요.)",
    en: "(Older alert records left out: ask the bot's operator for the full export.)",
  },
  cancel: { ko: "취소", en: "Cancel" },
  cardGone: {
    ko: "이 논문은 더 이상 아카이브에 없습니다.",
    en: "This paper is no longer in the archive.",
  },
} as const;

type Texts = typeof ALERT_TEXT;

/** An alert text in `language`. */
export function ta<K extends keyof Texts>(language: Language, key: K): Texts[K]["en"] {
  return ALERT_TEXT[key][language] as Texts[K]["en"];
}
