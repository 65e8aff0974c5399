import type { Delivery, DeliveryPlan, DeliveryStep } from "../delivery/model.js";
import { PostgresLeases } from "./postgres-leases.js";
import { type PgDeliveryRow, type PgStepRow, toDelivery, toStep } from "./postgres-rows.js";
import { inTransaction, PG_NOW } from "./postgres-schema.js";
import { deliveryValues } from "./rows.js";
import { stepNonce } from "./sqlite-store.js";

/** PostgreSQL refuses NUL in text, SQLite keeps it: free text (errors, reasons) must not throw. */
export const text = (value: string): string => value.replaceAll("\u0000", "\uFFFD");
const textOrNull = (value: string | null): string | null => (value === null ? null : text(value));

/** Deliveries recorded by one statement of `createScheduledDeliveries`. */
const BATCH = 500;

/** The delivery ledger part of PostgresStore: deliveries and their steps. */
export class PostgresLedger extends PostgresLeases {
  async createDelivery(plan: DeliveryPlan): Promise<Delivery | null> {
    return inTransaction(this.pool, async (client) => {
      // A racing transaction with the same key makes this one wait for its outcome: committed,
      // this inserts nothing (null); rolled back, this one inserts.
      const inserted = await client.query<PgDeliveryRow>(
        `INSERT INTO deliveries (channel_id, guild_id, digest_date, kind, mode, language, paper_keys, update_of, update_key, thread_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING *`,
        deliveryValues(plan),
      );
      const row = inserted.rows[0];
      if (!row) return null;
      const id = Number(row.id);
      const seqs = plan.steps.map((_, seq) => seq);
      // All steps in one statement (one round trip), as parallel arrays.
      await client.query(
        `INSERT INTO delivery_steps (delivery_id, seq, role, nonce, payload)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[])`,
        [
          id,
          seqs,
          plan.steps.map((step) => step.role),
          seqs.map((seq) => stepNonce(plan.channelId, plan.digestDate, id, seq)),
          plan.steps.map((step) => JSON.stringify(step.payload)),
        ],
      );
      return toDelivery(row);
    });
  }

  async createScheduledDeliveries(plans: readonly DeliveryPlan[]): Promise<(Delivery | null)[]> {
    if (plans.some((plan) => plan.kind !== "scheduled"))
      throw new Error("only scheduled deliveries are recorded in a batch");
    const out: (Delivery | null)[] = [];
    // A few hundred a statement: bounded statements, one transaction each.
    for (let i = 0; i < plans.length; i += BATCH)
      out.push(...(await this.recordBatch(plans.slice(i, i + BATCH))));
    return out;
  }

  private recordBatch(plans: readonly DeliveryPlan[]): Promise<(Delivery | null)[]> {
    return inTransaction(this.pool, async (client) => {
      const columns = plans.map(deliveryValues);
      const column = (i: number) => columns.map((values) => values[i] ?? null);
      const inserted = await client.query<PgDeliveryRow>(
        `INSERT INTO deliveries (channel_id, guild_id, digest_date, kind, mode, language, paper_keys, update_of, update_key, thread_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                              $7::text[], $8::bigint[], $9::text[], $10::text[])
         ON CONFLICT DO NOTHING RETURNING *`,
        Array.from({ length: 10 }, (_, i) => column(i)),
      );
      const byKey = new Map(
        inserted.rows.map((row) => [`${row.channel_id}\n${row.digest_date}`, row]),
      );
      const steps = {
        id: [] as number[],
        seq: [] as number[],
        role: [] as string[],
        nonce: [] as string[],
        payload: [] as string[],
      };
      const out = plans.map((plan) => {
        const row = byKey.get(`${plan.channelId}\n${plan.digestDate}`);
        if (!row) return null;
        const id = Number(row.id);
        plan.steps.forEach((step, seq) => {
          steps.id.push(id);
          steps.seq.push(seq);
          steps.role.push(step.role);
          steps.nonce.push(stepNonce(plan.channelId, plan.digestDate, id, seq));
          steps.payload.push(JSON.stringify(step.payload));
        });
        return toDelivery(row);
      });
      if (steps.id.length > 0)
        await client.query(
          `INSERT INTO delivery_steps (delivery_id, seq, role, nonce, payload)
           SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[])`,
          [steps.id, steps.seq, steps.role, steps.nonce, steps.payload],
        );
      return out;
    });
  }

  async findScheduledDelivery(channelId: string, digestDate: string): Promise<Delivery | null> {
    const row = await this.one<PgDeliveryRow>(
      "SELECT * FROM deliveries WHERE channel_id = $1 AND digest_date = $2 AND kind = 'scheduled'",
      [channelId, digestDate],
    );
    return row ? toDelivery(row) : null;
  }

  async lastScheduledDate(channelId: string): Promise<string | null> {
    const row = await this.one<{ date: string | null }>(
      "SELECT max(digest_date) AS date FROM deliveries WHERE channel_id = $1 AND kind = 'scheduled'",
      [channelId],
    );
    return row?.date ?? null;
  }

  async channelDeliveries(channelId: string, sinceDate: string): Promise<Delivery[]> {
    return this.deliveries(
      "SELECT * FROM deliveries WHERE channel_id = $1 AND digest_date >= $2 ORDER BY digest_date, id",
      [channelId, sinceDate],
    );
  }

  async delivery(id: number): Promise<Delivery | null> {
    const row = await this.one<PgDeliveryRow>("SELECT * FROM deliveries WHERE id = $1", [id]);
    return row ? toDelivery(row) : null;
  }

  async unfinishedDeliveries(channelId?: string): Promise<Delivery[]> {
    return channelId === undefined
      ? this.deliveries("SELECT * FROM deliveries WHERE status = 'pending' ORDER BY id", [])
      : this.deliveries(
          "SELECT * FROM deliveries WHERE status = 'pending' AND channel_id = $1 ORDER BY id",
          [channelId],
        );
  }

  async lastDeliveries(limit: number): Promise<Delivery[]> {
    return this.deliveries(
      "SELECT * FROM deliveries WHERE id IN (SELECT max(id) FROM deliveries GROUP BY channel_id) ORDER BY id DESC LIMIT $1",
      [limit],
    );
  }

  async lastDeliveredAt(): Promise<string | null> {
    const row = await this.one<{ at: string | null }>(
      "SELECT max(finished_at) AS at FROM deliveries WHERE status = 'done'",
      [],
    );
    return row?.at ?? null;
  }

  async steps(deliveryId: number): Promise<DeliveryStep[]> {
    const { rows } = await this.pool.query<PgStepRow>(
      "SELECT * FROM delivery_steps WHERE delivery_id = $1 ORDER BY seq",
      [deliveryId],
    );
    return rows.map(toStep);
  }

  async recordAttempt(deliveryId: number, seq: number, firstAttemptAt: number): Promise<void> {
    await this.pool.query(
      `UPDATE delivery_steps SET attempts = attempts + 1,
         first_attempt_at = coalesce(first_attempt_at, $1) WHERE delivery_id = $2 AND seq = $3`,
      [firstAttemptAt, deliveryId, seq],
    );
  }

  async stepError(deliveryId: number, seq: number, error: string): Promise<void> {
    await this.pool.query(
      "UPDATE delivery_steps SET last_error = $1 WHERE delivery_id = $2 AND seq = $3",
      [text(error.slice(0, 1000)), deliveryId, seq],
    );
  }

  async markStep(
    deliveryId: number,
    seq: number,
    status: "sent" | "skipped",
    discordId: string | null,
    error: string | null = null,
  ): Promise<void> {
    await this.pool.query(
      "UPDATE delivery_steps SET status = $1, discord_id = $2, last_error = coalesce($3, last_error) WHERE delivery_id = $4 AND seq = $5",
      [status, discordId, textOrNull(error), deliveryId, seq],
    );
  }

  async setThread(deliveryId: number, threadId: string): Promise<void> {
    await this.pool.query("UPDATE deliveries SET thread_id = $1 WHERE id = $2", [
      threadId,
      deliveryId,
    ]);
  }

  async finishDelivery(
    deliveryId: number,
    status: "done" | "failed" | "paused",
    error: string | null,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE deliveries SET status = $1, error = $2, finished_at = ${PG_NOW} WHERE id = $3`,
      [status, textOrNull(error), deliveryId],
    );
  }

  async threadOwner(threadId: string): Promise<number | null> {
    const row = await this.one<{ id: string }>(
      "SELECT id FROM deliveries WHERE thread_id = $1 ORDER BY id LIMIT 1",
      [threadId],
    );
    return row ? Number(row.id) : null;
  }

  async messageRecorded(messageId: string): Promise<boolean> {
    const row = await this.one("SELECT 1 FROM delivery_steps WHERE discord_id = $1 LIMIT 1", [
      messageId,
    ]);
    return row !== undefined;
  }

  private async deliveries(sql: string, params: unknown[]): Promise<Delivery[]> {
    return (await this.pool.query<PgDeliveryRow>(sql, params)).rows.map(toDelivery);
  }
}
