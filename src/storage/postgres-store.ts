import type { ChannelSubscription, GuildSettings } from "../delivery/model.js";
import type { Store, SubscriptionInput } from "../delivery/store.js";
import { PostgresLedger, text } from "./postgres-ledger.js";
import { PG_NOW } from "./postgres-schema.js";
import { fromRow, type SettingsRow, type SubscriptionRow } from "./rows.js";

/**
 * `Store` in PostgreSQL (over a `pg.Pool`), method for method the behaviour of SqliteStore:
 * settings and subscriptions here, the ledger in PostgresLedger, leases in PostgresLeases.
 */
export class PostgresStore extends PostgresLedger implements Store {
  async guildSettings(guildId: string): Promise<Partial<GuildSettings> | null> {
    const row = await this.one<SettingsRow>("SELECT * FROM guild_settings WHERE guild_id = $1", [
      guildId,
    ]);
    return row ? fromRow.settings(row) : null;
  }

  async saveGuildSettings(
    guildId: string,
    settings: Partial<Omit<GuildSettings, "guildId">>,
  ): Promise<void> {
    await this.pool.query(
      `INSERT INTO guild_settings AS g (guild_id, language, timezone, schedule, last_run_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (guild_id) DO UPDATE SET
         language = coalesce($2, g.language), timezone = coalesce($3, g.timezone),
         schedule = coalesce($4, g.schedule), last_run_at = coalesce($5, g.last_run_at), updated_at = ${PG_NOW}`,
      [
        guildId,
        settings.language ?? null,
        settings.timezone ?? null,
        settings.schedule ?? null,
        settings.lastRunAt ?? null,
      ],
    );
  }

  async subscriptions(guildId?: string): Promise<ChannelSubscription[]> {
    const { rows } =
      guildId === undefined
        ? await this.pool.query<SubscriptionRow>(
            "SELECT * FROM subscriptions ORDER BY created_at, channel_id",
          )
        : await this.pool.query<SubscriptionRow>(
            "SELECT * FROM subscriptions WHERE guild_id = $1 ORDER BY created_at, channel_id",
            [guildId],
          );
    return rows.map(fromRow.subscription);
  }

  async subscription(channelId: string): Promise<ChannelSubscription | null> {
    const row = await this.one<SubscriptionRow>(
      "SELECT * FROM subscriptions WHERE channel_id = $1",
      [channelId],
    );
    return row ? fromRow.subscription(row) : null;
  }

  async saveSubscription(input: SubscriptionInput): Promise<void> {
    await this.pool.query(
      `INSERT INTO subscriptions (channel_id, guild_id, mode, min_votes, top_n, include_keywords, exclude_keywords, mention_role_id, forum_tag_id, style, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id, mode = excluded.mode, min_votes = excluded.min_votes,
         top_n = excluded.top_n, include_keywords = excluded.include_keywords, exclude_keywords = excluded.exclude_keywords,
         mention_role_id = excluded.mention_role_id, forum_tag_id = excluded.forum_tag_id, style = excluded.style, created_by = excluded.created_by,
         paused_reason = NULL, paused_at = NULL, pause_notified = 0`,
      [
        input.channelId,
        input.guildId,
        input.mode,
        input.minVotes,
        input.topN,
        JSON.stringify(input.includeKeywords),
        JSON.stringify(input.excludeKeywords),
        input.mentionRoleId,
        input.forumTagId,
        input.style,
        input.createdBy,
      ],
    );
  }

  async removeSubscription(channelId: string): Promise<boolean> {
    return this.changed("DELETE FROM subscriptions WHERE channel_id = $1", [channelId]);
  }

  async pauseSubscription(channelId: string, reason: string): Promise<boolean> {
    return this.changed(
      `UPDATE subscriptions SET paused_reason = $1, paused_at = ${PG_NOW} WHERE channel_id = $2 AND paused_reason IS NULL`,
      [text(reason), channelId],
    );
  }

  async markPauseNotified(channelId: string): Promise<void> {
    await this.pool.query("UPDATE subscriptions SET pause_notified = 1 WHERE channel_id = $1", [
      channelId,
    ]);
  }
}
