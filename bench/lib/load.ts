// Sends a list of operations with a fixed concurrency, bounded by count and by a time budget.
import { throttled } from "./util";

export type LoadResult = {
  latencies: number[];
  statuses: Record<string, number>;
  elapsedMs: number;
  sent: number;
  stoppedByBudget: boolean;
  errors: string[];
};

export async function runLoad<T>(args: {
  label: string;
  items: readonly T[];
  concurrency: number;
  budgetMs: number;
  send: (item: T) => Promise<number>;
}): Promise<LoadResult> {
  const { items, concurrency, budgetMs, send, label } = args;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const errors: string[] = [];
  const report = throttled(3000);
  let next = 0;
  let stoppedByBudget = false;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      if (performance.now() - started > budgetMs) {
        stoppedByBudget = next < items.length;
        return;
      }
      const i = next++;
      if (i >= items.length) return;
      const t0 = performance.now();
      let status: string;
      try {
        status = String(await send(items[i]!));
      } catch (err) {
        status = "error";
        if (errors.length < 5) errors.push((err as Error).message);
      }
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
      report(`${label}: ${latencies.length}/${items.length}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    latencies,
    statuses,
    elapsedMs: performance.now() - started,
    sent: latencies.length,
    stoppedByBudget,
    errors,
  };
}

export const ok2xx = (statuses: Record<string, number>) =>
  Object.entries(statuses).reduce((s, [k, v]) => s + (k.startsWith("2") ? v : 0), 0);
