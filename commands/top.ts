import { ApplicationCommandOptionType } from "discord.js";
import type { Command } from "../src/commands/command.js";
import { ANYWHERE, named } from "../src/commands/options.js";
import { tc } from "../src/commands/text.js";
import { listPage } from "../src/views/list.js";
import { PERIODS, type Period, resolvePeriod } from "../src/views/periods.js";

const PERIOD_NAMES: Record<Period, { en: string; ko: string }> = {
  today: { en: "Latest digest", ko: "최신 다이제스트" },
  week: { en: "Last 7 days", ko: "최근 7일" },
  month: { en: "Last 30 days", ko: "최근 30일" },
  all: { en: "All time", ko: "전체 기간" },
  date: { en: "A given date (set date)", ko: "특정 날짜 (date 지정)" },
};

/** Custom id of a page: `top:<period>:<date or ->:<count>:<page>` (the state lives in the id, not in memory). */
const pageId = (period: Period, date: string | null, count: number) => (page: number) =>
  `top:${period}:${date ?? "-"}:${count}:${page}`;

function render(
  ctx: Parameters<Command["execute"]>[1],
  period: Period,
  date: string | null,
  count: number,
  page: number,
  language: "ko" | "en",
) {
  const range = resolvePeriod(ctx.catalog(), period, date, language);
  const refs = ctx.catalog().ranked(range.from, range.to, count);
  return listPage(
    tc(language, "topTitle")(range.label),
    refs,
    page,
    language,
    pageId(period, date, count),
  );
}

/** `/top [period] [count] [date]`: the best-voted papers, ranked and paged. */
const top: Command = {
  data: {
    ...named(
      "top",
      "인기",
      "Top-voted papers of the latest digest, the last 7 or 30 days, all time or a date",
      "최신·최근 7일·30일·전체·특정 날짜의 추천 상위 논문",
    ),
    ...ANYWHERE,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        ...named(
          "period",
          "기간",
          "Which papers to rank (default: the latest digest)",
          "어느 기간의 논문을 볼지 (기본: 최신 다이제스트)",
        ),
        choices: PERIODS.map((p) => ({
          name: PERIOD_NAMES[p].en,
          name_localizations: { ko: PERIOD_NAMES[p].ko },
          value: p,
        })),
      },
      {
        type: ApplicationCommandOptionType.Integer,
        ...named(
          "count",
          "개수",
          "How many papers (1–50, default 10)",
          "몇 편을 볼지 (1–50, 기본 10)",
        ),
        min_value: 1,
        max_value: 50,
      },
      {
        type: ApplicationCommandOptionType.String,
        ...named("date", "날짜", "A digest date, YYYY-MM-DD", "다이제스트 날짜 (YYYY-MM-DD)"),
        min_length: 10,
        max_length: 10,
      },
    ],
  },

  async execute(interaction, ctx, language) {
    const date = interaction.options.getString("date");
    const period =
      (interaction.options.getString("period") as Period | null) ?? (date ? "date" : "today");
    const count = interaction.options.getInteger("count") ?? 10;
    await interaction.reply(render(ctx, period, date, count, 0, language));
  },

  async component(interaction, ctx, language) {
    const [, period = "today", date = "-", count = "10", page = "0"] =
      interaction.customId.split(":");
    await interaction.update(
      render(
        ctx,
        period as Period,
        date === "-" ? null : date,
        Number(count),
        Number(page),
        language,
      ),
    );
  },
};

export default top;
