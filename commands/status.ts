import { MessageFlags, PermissionFlagsBits } from "discord.js";
import type { Command } from "../src/commands/command.js";
import { formatInZone } from "../src/commands/config-actions.js";
import { named } from "../src/commands/options.js";
import { pick } from "../src/commands/pick.js";
import { countSteps, describeDelivery } from "../src/delivery/report.js";
import { nextRuns } from "../src/delivery/schedule.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `/status`: archive, schedule, last deliveries, paused channels and gateway latency. */
const status: Command = {
  requiredPermission: PermissionFlagsBits.ManageGuild,
  data: {
    ...named(
      "status",
      "상태",
      "Paperboy's state in this server: archive, schedule, deliveries, problems",
      "이 서버의 Paperboy 상태: 아카이브, 일정, 전달, 문제",
    ),
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    contexts: [0],
  },

  async execute(interaction, ctx, language) {
    if (!interaction.inGuild()) return;
    const guildId = interaction.guildId;
    const catalog = ctx.catalog();
    const settings = ctx.service.settings(guildId);
    const subscriptions = ctx.store.subscriptions(guildId);
    const channelIds = new Set(subscriptions.map((s) => s.channelId));
    const deliveries = ctx.store
      .lastDeliveries(500)
      .filter((d) => d.guildId === guildId || channelIds.has(d.channelId));
    const newest = catalog.newest();
    const lines = [
      pick(language, {
        ko: `📚 아카이브: 다이제스트 ${catalog.dates().length}개, 논문 ${catalog.paperCount}편 · 최신 ${newest?.date ?? "없음"}`,
        en: `📚 Archive: ${plural(catalog.dates().length, "digest")}, ${plural(catalog.paperCount, "paper")} · newest ${newest?.date ?? "none"}`,
      }),
      pick(language, {
        ko: `⏰ 다음 전달 (${settings.timezone}):`,
        en: `⏰ Next runs (${settings.timezone}):`,
      }),
      ...nextRuns(settings.schedule, settings.timezone, 3).map(
        (d) => `  • ${formatInZone(d, settings.timezone, language)}`,
      ),
      pick(language, { ko: "📨 채널별 마지막 전달:", en: "📨 Last delivery per channel:" }),
      ...(deliveries.length === 0
        ? [pick(language, { ko: "  • 아직 없음", en: "  • none yet" })]
        : deliveries.map(
            (d) =>
              `  • <#${d.channelId}> ${d.digestDate}: ${describeDelivery(language, d.status, countSteps(ctx.store.steps(d.id)), d.error)}`,
          )),
    ];
    const paused = subscriptions.filter((s) => s.pausedReason !== null);
    if (paused.length > 0) {
      lines.push(
        pick(language, {
          ko: "⏸ 멈춘 채널 (권한을 고친 뒤 `/config channel add`로 재개):",
          en: "⏸ Paused channels (fix the permission, then `/config channel add` resumes):",
        }),
      );
      for (const s of paused) lines.push(`  • <#${s.channelId}>: ${s.pausedReason}`);
    }
    const ping = ctx.ping();
    lines.push(
      pick(language, {
        ko: `🛰️ 게이트웨이 지연: ${ping >= 0 ? `${ping} ms` : "측정 전"}`,
        en: `🛰️ Gateway latency: ${ping >= 0 ? `${ping} ms` : "not measured yet"}`,
      }),
    );
    await interaction.reply({
      content: lines.join("\n").slice(0, 2000),
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  },
};

export default status;
