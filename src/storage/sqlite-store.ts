import { createHash } from "node:crypto";
import type { Statement } from "better-sqlite3";
import type {
  ChannelSubscription,
  Delivery,
  DeliveryPlan,
  DeliveryStep,
  GuildSettings,
} from "../delivery/model.js";
import type { Store, SubscriptionInput } from "../delivery/store.js";
import {
  type DeliveryRow,
  deliveryValues,
  fromRow,
  type SettingsRow,
  type StepRow,
  type SubscriptionRow,
} from "./rows.js";
import { SqliteLeases } from "./sqlite-lease.js";

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/** The nonce of one step: deterministic, unique per channel, delivery and step, ≤ 25 characters. */
export function stepNonce(
  channelId: string,
  digestDate: string,
  deliveryId: number,
  seq: number,
): string {
  const hash = createHash("sha256")
    .update(`${channelId}:${digestDate}:${deliveryId}:${seq}`)
    .digest("base64url");
  return `pb${hash.slice(0, 22)}`;
}

/** `Store` in the SQLite file (leases from `SqliteLeases`, as PostgreSQL's store does). */
export class SqliteStore extends SqliteLeases implements Store {
  async guildSettings(guildId: string): Promise<Partial<GuildSettings> | null> {
    const row = this.db
      .prepare<[string], SettingsRow>("SELECT * FROM guild_settings WHERE guild_id = ?")
      .get(guildId);
    return row ? fromRow.settings(row) : null;
  }

  async saveGuildSettings(
    guildId: string,
    settings: Partial<Omit<GuildSettings, "guildId">>,
  ): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO guild_settings (guild_id, language, timezone, schedule, last_run_at) VALUES (@guildId, @language, @timezone, @schedule, @lastRunAt)
         ON CONFLICT(guild_id) DO UPDATE SET
           language = coalesce(@language, language), timezone = coalesce(@timezone, timezone),
           schedule = coalesce(@schedule, schedule), last_run_at = coalesce(@lastRunAt, last_run_at), updated_at = ${NOW}`,
      )
      .run({
        guildId,
        language: settings.language ?? null,
        timezone: settings.timezone ?? null,
        schedule: settings.schedule ?? null,
        lastRunAt: settings.lastRunAt ?? null,
      });
  }

  async subscriptions(guildId?: string): Promise<ChannelSubscription[]> {
    const rows = guildId
      ? this.db
          .prepare<[string], SubscriptionRow>(
            "SELECT * FROM subscriptions WHERE guild_id = ? ORDER BY created_at, channel_id",
          )
          .all(guildId)
      : this.db
          .prepare<[], SubscriptionRow>(
            "SELECT * FROM subscriptions ORDER BY created_at, channel_id",
          )
          .all();
    return rows.map(fromRow.subscription);
  }

  async subscription(channelId: string): Promise<ChannelSubscription | null> {
    const row = this.db
      .prepare<[string], SubscriptionRow>("SELECT * FROM subscriptions WHERE channel_id = ?")
      .get(channelId);
    return row ? fromRow.subscription(row) : null;
  }

  async saveSubscription(input: SubscriptionInput): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO subscriptions (channel_id, guild_id, mode, min_votes, top_n, include_keywords, exclude_keywords, mention_role_id, forum_tag_id, style, created_by)
         VALUES (@channelId, @guildId, @mode, @minVotes, @topN, @include, @exclude, @mentionRoleId, @forumTagId, @style, @createdBy)
         ON CONFLICT(channel_id) DO UPDATE SET guild_id = excluded.guild_id, mode = excluded.mode, min_votes = excluded.min_votes,
           top_n = excluded.top_n, include_keywords = excluded.include_keywords, exclude_keywords = excluded.exclude_keywords,
           mention_role_id = excluded.mention_role_id, forum_tag_id = excluded.forum_tag_id, style = excluded.style, created_by = excluded.created_by,
           paused_reason = NULL, paused_at = NULL, pause_notified = 0`,
      )
      .run({
        channelId: input.channelId,
        guildId: input.guildId,
        mode: input.mode,
        minVotes: input.minVotes,
        topN: input.topN,
        include: JSON.stringify(input.includeKeywords),
        exclude: JSON.stringify(input.excludeKeywords),
        mentionRoleId: input.mentionRoleId,
        forumTagId: input.forumTagId,
        style: input.style,
        createdBy: input.createdBy,
      });
  }

  async removeSubscription(channelId: string): Promise<boolean> {
    return (
      this.db.prepare("DELETE FROM subscriptions WHERE channel_id = ?").run(channelId).changes > 0
    );
  }

  async pauseSubscription(channelId: string, reason: string): Promise<boolean> {
    const result = this.db
      .prepare(
        `UPDATE subscriptions SET paused_reason = ?, paused_at = ${NOW} WHERE channel_id = ? AND paused_reason IS NULL`,
      )
      .run(reason, channelId);
    return result.changes > 0;
  }

  async markPauseNotified(channelId: string): Promise<void> {
    this.db
      .prepare("UPDATE subscriptions SET pause_notified = 1 WHERE channel_id = ?")
      .run(channelId);
  }

  async createDelivery(plan: DeliveryPlan): Promise<Delivery | null> {
    return this.db.transaction(() => this.insertPlan(plan))();
  }

  async createScheduledDeliveries(plans: readonly DeliveryPlan[]): Promise<(Delivery | null)[]> {
    if (plans.some((plan) => plan.kind !== "scheduled"))
      throw new Error("only scheduled deliveries are recorded in a batch");
    return this.db.transaction(() => plans.map((plan) => this.insertPlan(plan)))();
  }

  /** The statements every recorded delivery runs, prepared once (thousands run per digest). */
  private recording: {
    delivery: Statement;
    step: Statement;
    read: Statement<[number], DeliveryRow>;
  } | null = null;

  /** Inserts a plan's delivery and steps (inside the caller's transaction); null when it exists. */
  private insertPlan(plan: DeliveryPlan): Delivery | null {
    this.recording ??= {
      delivery: this.db.prepare(
        `INSERT INTO deliveries (channel_id, guild_id, digest_date, kind, mode, language, paper_keys, update_of, update_key, thread_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      step: this.db.prepare(
        "INSERT INTO delivery_steps (delivery_id, seq, role, nonce, payload) VALUES (?, ?, ?, ?, ?)",
      ),
      read: this.db.prepare<[number], DeliveryRow>("SELECT * FROM deliveries WHERE id = ?"),
    };
    const { delivery, step: insertStep, read } = this.recording;
    const inserted = delivery.run(...deliveryValues(plan));
    if (inserted.changes === 0) return null;
    const id = Number(inserted.lastInsertRowid);
    plan.steps.forEach((step, seq) => {
      insertStep.run(
        id,
        seq,
        step.role,
        stepNonce(plan.channelId, plan.digestDate, id, seq),
        JSON.stringify(step.payload),
      );
    });
    const row = read.get(id);
    return row ? fromRow.delivery(row) : null;
  }

  async findScheduledDelivery(channelId: string, digestDate: string): Promise<Delivery | null> {
    const row = this.db
      .prepare<[string, string], DeliveryRow>(
        "SELECT * FROM deliveries WHERE channel_id = ? AND digest_date = ? AND kind = 'scheduled'",
      )
      .get(channelId, digestDate);
    return row ? fromRow.delivery(row) : null;
  }

  async lastScheduledDate(channelId: string): Promise<string | null> {
    const row = this.db
      .prepare<[string], { date: string | null }>(
        "SELECT max(digest_date) AS date FROM deliveries WHERE channel_id = ? AND kind = 'scheduled'",
      )
      .get(channelId);
    return row?.date ?? null;
  }

  async channelDeliveries(channelId: string, sinceDate: string): Promise<Delivery[]> {
    return this.db
      .prepare<[string, string], DeliveryRow>(
        "SELECT * FROM deliveries WHERE channel_id = ? AND digest_date >= ? ORDER BY digest_date, id",
      )
      .all(channelId, sinceDate)
      .map(fromRow.delivery);
  }

  async delivery(id: number): Promise<Delivery | null> {
    return this.deliveryNow(id);
  }

  private deliveryNow(id: number): Delivery | null {
    const row = this.db
      .prepare<[number], DeliveryRow>("SELECT * FROM deliveries WHERE id = ?")
      .get(id);
    return row ? fromRow.delivery(row) : null;
  }

  async unfinishedDeliveries(channelId?: string): Promise<Delivery[]> {
    const rows =
      channelId === undefined
        ? this.db
            .prepare<[], DeliveryRow>(
              "SELECT * FROM deliveries WHERE status = 'pending' ORDER BY id",
            )
            .all()
        : this.db
            .prepare<[string], DeliveryRow>(
              "SELECT * FROM deliveries WHERE status = 'pending' AND channel_id = ? ORDER BY id",
            )
            .all(channelId);
    return rows.map(fromRow.delivery);
  }

  async lastDeliveries(limit: number): Promise<Delivery[]> {
    return this.db
      .prepare<[number], DeliveryRow>(
        "SELECT * FROM deliveries WHERE id IN (SELECT max(id) FROM deliveries GROUP BY channel_id) ORDER BY id DESC LIMIT ?",
      )
      .all(limit)
      .map(fromRow.delivery);
  }

  async lastDeliveredAt(): Promise<string | null> {
    const row = this.db
      .prepare<[], { at: string | null }>(
        "SELECT max(finished_at) AS at FROM deliveries WHERE status = 'done'",
      )
      .get();
    return row?.at ?? null;
  }

  async steps(deliveryId: number): Promise<DeliveryStep[]> {
    return this.db
      .prepare<[number], StepRow>("SELECT * FROM delivery_steps WHERE delivery_id = ? ORDER BY seq")
      .all(deliveryId)
      .map(fromRow.step);
  }

  async recordAttempt(deliveryId: number, seq: number, firstAttemptAt: number): Promise<void> {
    this.db
      .prepare(
        "UPDATE delivery_steps SET attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, ?) WHERE delivery_id = ? AND seq = ?",
      )
      .run(firstAttemptAt, deliveryId, seq);
  }

  async stepError(deliveryId: number, seq: number, error: string): Promise<void> {
    this.db
      .prepare("UPDATE delivery_steps SET last_error = ? WHERE delivery_id = ? AND seq = ?")
      .run(error.slice(0, 1000), deliveryId, seq);
  }

  async markStep(
    deliveryId: number,
    seq: number,
    status: "sent" | "skipped",
    discordId: string | null,
    error: string | null = null,
  ): Promise<void> {
    this.db
      .prepare(
        "UPDATE delivery_steps SET status = ?, discord_id = ?, last_error = coalesce(?, last_error) WHERE delivery_id = ? AND seq = ?",
      )
      .run(status, discordId, error, deliveryId, seq);
  }

  async setThread(deliveryId: number, threadId: string): Promise<void> {
    this.db.prepare("UPDATE deliveries SET thread_id = ? WHERE id = ?").run(threadId, deliveryId);
  }

  async finishDelivery(
    deliveryId: number,
    status: "done" | "failed" | "paused",
    error: string | null,
  ): Promise<void> {
    this.db
      .prepare(`UPDATE deliveries SET status = ?, error = ?, finished_at = ${NOW} WHERE id = ?`)
      .run(status, error, deliveryId);
  }

  // Exactly-once checks (src/delivery/adopt.ts, verify.ts).
  async threadOwner(threadId: string): Promise<number | null> {
    const row = this.db
      .prepare<[string], { id: number }>(
        "SELECT id FROM deliveries WHERE thread_id = ? ORDER BY id LIMIT 1",
      )
      .get(threadId);
    return row?.id ?? null;
  }

  async messageRecorded(messageId: string): Promise<boolean> {
    return (
      this.db
        .prepare<[string], { one: number }>(
          "SELECT 1 AS one FROM delivery_steps WHERE discord_id = ? LIMIT 1",
        )
        .get(messageId) !== undefined
    );
  }
}
