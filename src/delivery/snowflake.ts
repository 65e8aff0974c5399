const DISCORD_EPOCH = 1_420_070_400_000n;

/** The moment (epoch ms) Discord made the object with this snowflake id. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** The smallest snowflake of a moment (epoch ms): every id made then or later is above it. */
export function snowflakeAt(ms: number): string {
  const since = BigInt(Math.max(0, Math.floor(ms))) - DISCORD_EPOCH;
  return ((since > 0n ? since : 0n) << 22n).toString();
}

/** The larger of two snowflakes. */
export function laterSnowflake(a: string, b: string): string {
  return BigInt(a) >= BigInt(b) ? a : b;
}

/**
 * How far Discord's clock may run behind ours: a thread or message made for an attempt can carry
 * a timestamp a little before the moment we recorded the attempt, never much before.
 */
export const CLOCK_SKEW_MS = 5_000;
