/**
 * Which pending deliveries may be claimed: the oldest pending one of each channel, its channel not
 * paused, no live claim on it. Shared with the SQLite store's query (same columns, same meaning).
 */
export const CLAIMABLE = `d.status = 'pending' AND d.claim_until <= $now
  AND NOT EXISTS (SELECT 1 FROM deliveries e
                  WHERE e.channel_id = d.channel_id AND e.status = 'pending' AND e.id < d.id)
  AND NOT EXISTS (SELECT 1 FROM subscriptions s
                  WHERE s.channel_id = d.channel_id AND s.paused_reason IS NOT NULL)`;

/**
 * The order deliveries are claimed in: channel deliveries before readers' alerts (channel
 * `dm:<user>`, see src/alerts/), then oldest first.
 */
export const CLAIM_ORDER = "(d.channel_id LIKE 'dm:%'), d.id";

/** Claims per live holder, and the pending deliveries no live claim holds. */
export function countsOf(rows: { holder: string | null; n: number }[]): {
  holders: Record<string, number>;
  unclaimed: number;
} {
  const holders: Record<string, number> = {};
  let unclaimed = 0;
  for (const { holder, n } of rows) {
    if (holder === null) unclaimed += n;
    else holders[holder] = n;
  }
  return { holders, unclaimed };
}
