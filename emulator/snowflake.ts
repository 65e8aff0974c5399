const DISCORD_EPOCH = 1420070400000n;

/**
 * Issues Discord-style snowflakes (19 digits today). Every id gets its own millisecond, so ids made
 * in one burst still spread over shards by `(id >> 22) % shard_count` as real ones do over time.
 */
export class SnowflakeFactory {
  private lastMs = 0n;
  private increment = 0n;

  private guilds = 0n;

  next(): string {
    let ms = BigInt(Date.now()) - DISCORD_EPOCH;
    if (ms <= this.lastMs) ms = this.lastMs + 1n;
    return this.make(ms);
  }

  /**
   * A guild id whose millisecond counts guilds modulo 16, so that guilds made one after another
   * go round-robin over any shard count that divides 16, as real guilds spread over shards.
   */
  nextGuild(): string {
    let ms = BigInt(Date.now()) - DISCORD_EPOCH;
    if (ms <= this.lastMs) ms = this.lastMs + 1n;
    ms += (this.guilds - ms + 16n * 1024n) % 16n;
    this.guilds++;
    return this.make(ms);
  }

  private make(ms: bigint): string {
    this.lastMs = ms;
    this.increment = (this.increment + 1n) & 0xfffn;
    return ((ms << 22n) | (1n << 17n) | this.increment).toString();
  }
}

/** The shard a guild belongs to. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** True for a 17–19 digit snowflake. */
export function isSnowflake(value: unknown): value is string {
  return typeof value === "string" && /^\d{17,19}$/.test(value);
}
