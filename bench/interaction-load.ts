import type { Emulator } from "../emulator/server.js";

/** The value below which `p` percent of `values` lie. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export const QUERIES = [
  "speculative",
  "diffusion",
  "llama",
  "agent",
  "video generation",
  "2402.1",
  "reward model",
];

export const slash = (name: string, options: Record<string, unknown>[]) => ({
  id: "123456789012345678",
  name,
  type: 1,
  options,
});

/** Autocompletes and commands alike, as the interaction benchmarks send them. */
function sampleBodies(): { type: number; data: Record<string, unknown> }[] {
  return [
    ...QUERIES.map((q) => ({
      type: 4,
      data: slash("paper", [{ type: 3, name: "query", value: q, focused: true }]),
    })),
    { type: 2, data: slash("top", [{ type: 3, name: "period", value: "week" }]) },
    { type: 2, data: slash("paper", [{ type: 3, name: "query", value: "2402.11131" }]) },
    { type: 2, data: slash("search", [{ type: 3, name: "text", value: "확산 모델" }]) },
  ];
}

/** Sends interactions at `perSecond` for `seconds`; the time from dispatch to each answer. */
export async function timeInteractions(
  emulator: Emulator,
  where: { guild_id: string; channel_id: string },
  perSecond: number,
  seconds: number,
): Promise<{ latencies: number[]; unanswered: number }> {
  const bodies = sampleBodies();
  const ids: string[] = [];
  const start = performance.now();
  for (let i = 0; i < perSecond * seconds; i++) {
    const wait = start + (i * 1000) / perSecond - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const body = bodies[i % bodies.length] as { type: number; data: Record<string, unknown> };
    ids.push(emulator.ctx.interactions.create({ ...where, ...body }).id);
  }
  await new Promise((resolve) => setTimeout(resolve, 3500));
  const latencies: number[] = [];
  for (const id of ids) {
    const first = emulator.ctx.interactions.get(id)?.callbacks[0];
    if (first) latencies.push(first.at_ms);
  }
  return { latencies, unanswered: ids.length - latencies.length };
}
