/** One benchmark figure, printed beside its baseline and its target. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  baseline?: string;
  target?: string;
  pass?: boolean;
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Prints rows as an aligned text table. */
export function printTable(title: string, rows: readonly BenchRow[]): void {
  const cells = rows.map((row) => [
    row.name,
    `${row.value.toFixed(row.value >= 100 ? 0 : 2)} ${row.unit}`,
    row.baseline ?? "",
    row.target ?? "",
    row.pass === undefined ? "" : row.pass ? "ok" : "MISSED",
  ]);
  const header = ["measure", "value", "baseline (same run)", "target", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: readonly string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const c of cells) console.log(line(c));
}
