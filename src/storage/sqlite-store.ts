import { createHash } from "node:crypto";
import type {
  ChannelSubscription,
  Delivery,
  DeliveryPlan,
  DeliveryStep,
  GuildSettings,
} from "../delivery/model.js";
import type { Lease, Store, SubscriptionInput } from "../delivery/store.js";
import type { SqliteDatabase } from "./database.js";
import {
  type DeliveryRow,
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

/** `Store` in the SQLite file. */
export class SqliteStore implements Store {
  private readonly leases: SqliteLeases;

  constructor(private readonly db: SqliteDatabase) {
    this.leases = new SqliteLeases(db);
  }

  acquireLease(name: string, holder: string, ttlMs: number, replacing?: string): Lease {
    return this.leases.acquireLease(name, holder, ttlMs, replacing);
  }

  renewLease(name: string, holder: string, token: number, ttlMs: number): Lease | null {
    return this.leases.renewLease(name, holder, token, ttlMs);
  }

  releaseLease(name: string, holder: string, token: number): boolean {
    return this.leases.releaseLease(name, holder, token);
  }

  lease(name: string): Lease | null {
    return this.leases.lease(name);
  }

  guildSettings(guildId: string): Partial<GuildSettings> | null {
    const row = this.db
      .prepare<[string], SettingsRow>("SELECT * FROM guild_settings WHERE guild_id = ?")
      .get(guildId);
    return row ? fromRow.settings(row) : null;
  }

  saveGuildSettings(guildId: string, settings: Partial<Omit<GuildSettings, "guildId">>): void {
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

  subscriptions(guildId?: string): ChannelSubscription[] {
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

  subscription(channelId: string): ChannelSubscription | null {
    const row = this.db
      .prepare<[string], SubscriptionRow>("SELECT * FROM subscriptions WHERE channel_id = ?")
      .get(channelId);
    return row ? fromRow.subscription(row) : null;
  }

  saveSubscription(input: SubscriptionInput): void {
    this.db
      .prepare(
        `INSERT INTO subscriptions (channel_id, guild_id, mode, min_votes, top_n, include_keywords, exclude_keywords, mention_role_id, forum_tag_id, created_by)
         VALUES (@channelId, @guildId, @mode, @minVotes, @topN, @include, @exclude, @mentionRoleId, @forumTagId, @createdBy)
         ON CONFLICT(channel_id) DO UPDATE SET guild_id = excluded.guild_id, mode = excluded.mode, min_votes = excluded.min_votes,
           top_n = excluded.top_n, include_keywords = excluded.include_keywords, exclude_keywords = excluded.exclude_keywords,
           mention_role_id = excluded.mention_role_id, forum_tag_id = excluded.forum_tag_id, created_by = excluded.created_by,
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
        createdBy: input.createdBy,
      });
  }

  removeSubscription(channelId: string): boolean {
    return (
      this.db.prepare("DELETE FROM subscriptions WHERE channel_id = ?").run(channelId).changes > 0
    );
  }

  pauseSubscription(channelId: string, reason: string): boolean {
    const result = this.db
      .prepare(
        `UPDATE subscriptions SET paused_reason = ?, paused_at = ${NOW} WHERE channel_id = ? AND paused_reason IS NULL`,
      )
      .run(reason, channelId);
    return result.changes > 0;
  }

  markPauseNotified(channelId: string): void {
    this.db
      .prepare("UPDATE subscriptions SET pause_notified = 1 WHERE channel_id = ?")
      .run(channelId);
  }

  createDelivery(plan: DeliveryPlan): Delivery | null {
    return this.db.transaction((): Delivery | null => {
      const inserted = this.db
        .prepare(
          `INSERT INTO deliveries (channel_id, guild_id, digest_date, kind, mode, language, paper_keys, update_of, update_key, thread_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(
          plan.channelId,
          plan.guildId,
          plan.digestDate,
          // Stored as 'manual' with update_of set: the kind column's CHECK predates updates.
          plan.kind === "update" ? "manual" : plan.kind,
          plan.mode,
          plan.language,
          plan.paperKeys ? JSON.stringify(plan.paperKeys) : null,
          plan.update?.of ?? null,
          plan.update?.key ?? null,
          plan.update?.threadId ?? null,
        );
      if (inserted.changes === 0) return null;
      const id = Number(inserted.lastInsertRowid);
      const insertStep = this.db.prepare(
        "INSERT INTO delivery_steps (delivery_id, seq, role, nonce, payload) VALUES (?, ?, ?, ?, ?)",
      );
      plan.steps.forEach((step, seq) => {
        insertStep.run(
          id,
          seq,
          step.role,
          stepNonce(plan.channelId, plan.digestDate, id, seq),
          JSON.stringify(step.payload),
        );
      });
      return this.delivery(id);
    })();
  }

  findScheduledDelivery(channelId: string, digestDate: string): Delivery | null {
    const row = this.db
      .prepare<[string, string], DeliveryRow>(
        "SELECT * FROM deliveries WHERE channel_id = ? AND digest_date = ? AND kind = 'scheduled'",
      )
      .get(channelId, digestDate);
    return row ? fromRow.delivery(row) : null;
  }

  lastScheduledDate(channelId: string): string | null {
    const row = this.db
      .prepare<[string], { date: string | null }>(
        "SELECT max(digest_date) AS date FROM deliveries WHERE channel_id = ? AND kind = 'scheduled'",
      )
      .get(channelId);
    return row?.date ?? null;
  }

  channelDeliveries(channelId: string, sinceDate: string): Delivery[] {
    return this.db
      .prepare<[string, string], DeliveryRow>(
        "SELECT * FROM deliveries WHERE channel_id = ? AND digest_date >= ? ORDER BY digest_date, id",
      )
      .all(channelId, sinceDate)
      .map(fromRow.delivery);
  }

  delivery(id: number): Delivery | null {
    const row = this.db
      .prepare<[number], DeliveryRow>("SELECT * FROM deliveries WHERE id = ?")
      .get(id);
    return row ? fromRow.delivery(row) : null;
  }

  unfinishedDeliveries(channelId?: string): Delivery[] {
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

  lastDeliveries(limit: number): Delivery[] {
    return this.db
      .prepare<[number], DeliveryRow>(
        "SELECT * FROM deliveries WHERE id IN (SELECT max(id) FROM deliveries GROUP BY channel_id) ORDER BY id DESC LIMIT ?",
      )
      .all(limit)
      .map(fromRow.delivery);
  }

  lastDeliveredAt(): string | null {
    const row = this.db
      .prepare<[], { at: string | null }>(
        "SELECT max(finished_at) AS at FROM deliveries WHERE status = 'done'",
      )
      .get();
    return row?.at ?? null;
  }

  steps(deliveryId: number): DeliveryStep[] {
    return this.db
      .prepare<[number], StepRow>("SELECT * FROM delivery_steps WHERE delivery_id = ? ORDER BY seq")
      .all(deliveryId)
      .map(fromRow.step);
  }

  recordAttempt(deliveryId: number, seq: number): void {
    this.db
      .prepare(
        "UPDATE delivery_steps SET attempts = attempts + 1 WHERE delivery_id = ? AND seq = ?",
      )
      .run(deliveryId, seq);
  }

  stepError(deliveryId: number, seq: number, error: string): void {
    this.db
      .prepare("UPDATE delivery_steps SET last_error = ? WHERE delivery_id = ? AND seq = ?")
      .run(error.slice(0, 1000), deliveryId, seq);
  }

  markStep(
    deliveryId: number,
    seq: number,
    status: "sent" | "skipped",
    discordId: string | null,
    error: string | null = null,
  ): void {
    this.db
      .prepare(
        "UPDATE delivery_steps SET status = ?, discord_id = ?, last_error = coalesce(?, last_error) WHERE delivery_id = ? AND seq = ?",
      )
      .run(status, discordId, error, deliveryId, seq);
  }

  setThread(deliveryId: number, threadId: string): void {
    this.db.prepare("UPDATE deliveries SET thread_id = ? WHERE id = ?").run(threadId, deliveryId);
  }

  finishDelivery(
    deliveryId: number,
    status: "done" | "failed" | "paused",
    error: string | null,
  ): void {
    this.db
      .prepare(`UPDATE deliveries SET status = ?, error = ?, finished_at = ${NOW} WHERE id = ?`)
      .run(status, error, deliveryId);
  }

  // Exactly-once checks (src/delivery/adopt.ts, verify.ts).
  noteFirstAttempt(deliveryId: number, seq: number, atMs: number): void {
    this.db
      .prepare(
        "UPDATE delivery_steps SET first_attempt_at = coalesce(first_attempt_at, ?) WHERE delivery_id = ? AND seq = ?",
      )
      .run(atMs, deliveryId, seq);
  }

  threadOwner(threadId: string): number | null {
    const row = this.db
      .prepare<[string], { id: number }>(
        "SELECT id FROM deliveries WHERE thread_id = ? ORDER BY id LIMIT 1",
      )
      .get(threadId);
    return row?.id ?? null;
  }

  messageRecorded(messageId: string): boolean {
    return (
      this.db
        .prepare<[string], { one: number }>(
          "SELECT 1 AS one FROM delivery_steps WHERE discord_id = ? LIMIT 1",
        )
        .get(messageId) !== undefined
    );
  }
}
