import { ComponentType, MessageFlags } from "discord.js";
import { type Command, UserError } from "../src/commands/command.js";
import { ANYWHERE, DIGEST_DATE_OPTION, named } from "../src/commands/options.js";
import { paperReply } from "../src/commands/paper-reply.js";
import { both, tc } from "../src/commands/text.js";
import { DISCORD_LIMITS, truncate } from "../src/discord/limits.js";
import { layoutDigest } from "../src/render/digest-messages.js";
import { escapeMarkdown } from "../src/render/markdown.js";
import { NO_FILTER, selectPapers } from "../src/render/select.js";
import { digestForDate } from "../src/views/periods.js";

/** `/digest [date]`: a day's header and its papers, with a menu that opens one paper. */
const digest: Command = {
  data: {
    ...named(
      "digest",
      "다이제스트",
      "A day's digest: its papers by votes, with a menu to open one",
      "하루치 다이제스트: 추천순 논문 목록과 자세히 보기 메뉴",
    ),
    ...ANYWHERE,
    options: [DIGEST_DATE_OPTION],
  },

  async execute(interaction, ctx, language) {
    const catalog = ctx.catalog();
    const day = digestForDate(catalog, interaction.options.getString("date"));
    const ranked = selectPapers(day, NO_FILTER);
    const header =
      layoutDigest(day, ranked, { language, mode: "thread", mentionRoleId: null }).header.content ??
      "";
    const lines = ranked.map(
      ({ paper, rank }) =>
        `${rank}. ${escapeMarkdown(truncate(paper.title, 120))} · ${paper.votes === null ? "–" : `👍 ${paper.votes}`}`,
    );
    const options = ranked.slice(0, DISCORD_LIMITS.selectOptions).map(({ paper, rank }, i) => ({
      label: truncate(`${rank}. ${paper.title}`, DISCORD_LIMITS.selectOptionText),
      value: paper.id ?? `#${i}`,
      description: truncate(
        paper.authors.slice(0, 3).join(", ") || "—",
        DISCORD_LIMITS.selectOptionText,
      ),
    }));
    await interaction.reply({
      content: truncate(`${header}\n\n${lines.join("\n")}`, DISCORD_LIMITS.content),
      components:
        options.length === 0
          ? []
          : [
              {
                type: ComponentType.ActionRow,
                components: [
                  {
                    type: ComponentType.StringSelect,
                    custom_id: `digest:${day.date}`,
                    placeholder: tc(language, "digestPick"),
                    options,
                  },
                ],
              },
            ],
      allowedMentions: { parse: [] },
    });
  },

  async component(interaction, ctx, language) {
    if (!interaction.isStringSelectMenu()) return;
    const date = interaction.customId.split(":")[1] ?? "";
    const value = interaction.values[0] ?? "";
    const catalog = ctx.catalog();
    const day = catalog.digest(date);
    const position = value.startsWith("#") ? Number(value.slice(1)) : -1;
    const paper =
      position >= 0
        ? selectPapers(day ?? { date, source: "", papers: [], warnings: [] }, NO_FILTER)[position]
            ?.paper
        : day?.papers.find((p) => p.id === value);
    if (!day || !paper) throw new UserError(both("noDigestFor", date));
    const ref = { paper, date, position: day.papers.indexOf(paper) + 1 };
    await interaction.reply(
      await paperReply(
        ctx,
        { guildId: interaction.guildId, channelId: interaction.channelId },
        ref,
        language,
        MessageFlags.Ephemeral,
      ),
    );
  },
};

export default digest;
