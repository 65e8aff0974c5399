import { type APIApplicationCommandBasicOption, ApplicationCommandOptionType } from "discord.js";
import { named } from "./options.js";

/** The options of `/config channel add` after the channel: how and which papers it gets. */
export const CHANNEL_ADD_OPTIONS: APIApplicationCommandBasicOption[] = [
  {
    type: ApplicationCommandOptionType.String,
    ...named(
      "mode",
      "방식",
      "How papers arrive (default: embeds; forum channels: forum)",
      "보내는 방식 (기본: embeds, 포럼 채널은 forum)",
    ),
    choices: [
      {
        name: "Embeds in the channel",
        name_localizations: { ko: "채널에 임베드" },
        value: "embeds",
      },
      {
        name: "Header, papers in a thread",
        name_localizations: { ko: "머리글 + 스레드" },
        value: "thread",
      },
      {
        name: "One forum post per digest",
        name_localizations: { ko: "다이제스트마다 포럼 글" },
        value: "forum",
      },
    ],
  },
  {
    type: ApplicationCommandOptionType.String,
    ...named(
      "style",
      "모양",
      "How each paper looks (default: embeds)",
      "논문마다 보이는 모양 (기본: embeds)",
    ),
    choices: [
      { name: "Rich embeds", name_localizations: { ko: "임베드" }, value: "embeds" },
      {
        name: "Cards (thumbnail beside the text, link buttons)",
        name_localizations: { ko: "카드 (글 옆 썸네일, 링크 버튼)" },
        value: "cards",
      },
    ],
  },
  {
    type: ApplicationCommandOptionType.Integer,
    ...named(
      "min_votes",
      "최소추천",
      "Only papers with at least this many votes",
      "추천 수가 이 이상인 논문만",
    ),
    min_value: 0,
    max_value: 10000,
  },
  {
    type: ApplicationCommandOptionType.Integer,
    ...named("top_n", "상위", "Only the N best-voted papers", "추천 상위 N편만"),
    min_value: 1,
    max_value: 100,
  },
  {
    type: ApplicationCommandOptionType.String,
    ...named(
      "include",
      "포함",
      "Keywords, comma-separated: a paper must mention one",
      "쉼표로 나눈 키워드 중 하나가 들어간 논문만",
    ),
    max_length: 200,
  },
  {
    type: ApplicationCommandOptionType.String,
    ...named(
      "exclude",
      "제외",
      "Keywords, comma-separated: papers mentioning one are left out",
      "쉼표로 나눈 키워드가 들어간 논문은 빼기",
    ),
    max_length: 200,
  },
  {
    type: ApplicationCommandOptionType.Role,
    ...named(
      "role",
      "역할",
      "A role to mention with each digest (only this role is pinged)",
      "다이제스트마다 부를 역할 (이 역할만 알림)",
    ),
  },
  {
    type: ApplicationCommandOptionType.String,
    ...named(
      "tag",
      "태그",
      "Forum channels: the tag each post carries",
      "포럼 채널: 글마다 붙일 태그",
    ),
    autocomplete: true,
    max_length: 100,
  },
];
