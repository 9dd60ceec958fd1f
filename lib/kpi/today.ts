import { toLocalDay } from "@/lib/metrics/time";
import type { Day } from "@/lib/metrics/types";

/** Today in the workspace's time zone. The clock is read here, at the edge, never inside lib/metrics. */
export function todayIn(timeZone: string, now: number = Date.now()): Day {
  return toLocalDay(now, timeZone);
}
