/**
 * Reading the change ledger: a customer's state at the end of a day, and the movements of a window per customer.
 * Finance KPIs are built from these, never from raw subscriptions.
 */
import { MOVEMENT_KINDS, type MovementKind, type MrrChange } from "./movements";
import { addDays } from "./time";
import type { Day } from "./types";

export type LedgerIndex = ReadonlyMap<string, readonly MrrChange[]>;

/** Groups ledger rows by customer, each sorted by day. */
export function indexLedger(changes: readonly MrrChange[]): LedgerIndex {
  const map = new Map<string, MrrChange[]>();
  for (const c of changes) {
    const list = map.get(c.customerId) ?? [];
    list.push(c);
    map.set(c.customerId, list);
  }
  for (const list of map.values()) list.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return map;
}

/** The customer's latest ledger row on or before `day` (its state at the end of that day), if any. */
export function rowAsOf(rows: readonly MrrChange[], day: Day): MrrChange | undefined {
  let lo = 0;
  let hi = rows.length - 1;
  let found: MrrChange | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const row = rows[mid];
    if (row && row.day <= day) {
      found = row;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * §1.4 with §1.1: a customer is paying while its MRR in original currencies is above 0, so a part left unconverted
 * for lack of an FX rate still makes its customer paying (a missing rate never changes counts).
 */
export function isPayingRow(row: Pick<MrrChange, "mrr" | "unconverted"> | null | undefined): boolean {
  return (row?.mrr ?? 0) > 0 || Object.values(row?.unconverted ?? {}).some((amount) => amount > 0);
}

export type CustomerWindow = {
  customerId: string;
  /** m at the end of the day before the window (converted: a part without an FX rate adds 0). */
  startMrr: number;
  /** m at the end of the window's last day (converted). */
  endMrr: number;
  /** The ledger row in force at the end of the day before the window (null: none). */
  startRow: MrrChange | null;
  /** Paying (isPayingRow) at the end of the day before the window, and at the end of its last day. */
  startPaying: boolean;
  endPaying: boolean;
  /** On some day of the window the customer went from paying to not paying. */
  stoppedPaying: boolean;
  moves: Record<MovementKind, number>;
  fxImpact: number;
  involuntaryChurn: number;
  kinds: Set<MovementKind>;
  rows: MrrChange[];
};

/**
 * Per-customer summary of [start, end]: start and end MRR, whether the customer pays at either end, and the sum of
 * each movement type. Only customers with a row on or before `end` appear.
 */
export function summarizeWindow(index: LedgerIndex, start: Day, end: Day): CustomerWindow[] {
  const out: CustomerWindow[] = [];
  for (const [customerId, rows] of index) {
    const moves = Object.fromEntries(MOVEMENT_KINDS.map((k) => [k, 0])) as Record<MovementKind, number>;
    const w: CustomerWindow = {
      customerId,
      startMrr: 0,
      endMrr: 0,
      startRow: null,
      startPaying: false,
      endPaying: false,
      stoppedPaying: false,
      moves,
      fxImpact: 0,
      involuntaryChurn: 0,
      kinds: new Set(),
      rows: [],
    };
    let any = false;
    let paying = false;
    for (const row of rows) {
      if (row.day > end) break;
      any = true;
      const wasPaying = paying;
      paying = isPayingRow(row);
      if (row.day < start) {
        w.startMrr = row.mrr;
        w.startRow = row;
        w.startPaying = paying;
      } else {
        if (wasPaying && !paying) w.stoppedPaying = true;
        if (row.kind) {
          moves[row.kind] += row.amount;
          w.kinds.add(row.kind);
          if (row.kind === "churn" && row.involuntary) w.involuntaryChurn += row.amount;
        }
        w.fxImpact += row.fxImpact;
        w.rows.push(row);
      }
      w.endMrr = row.mrr;
      w.endPaying = paying;
    }
    if (any) out.push(w);
  }
  return out;
}

/**
 * The ledger as `{ [customerId]: rows sorted by day }`, the shape the marketing and success KPIs read as their
 * `MrrSeries` (kpi-inputs.ts): each row carries `day` and end-of-day `mrr`.
 */
export function groupLedgerByCustomer(changes: readonly MrrChange[]): Record<string, readonly MrrChange[]> {
  return Object.fromEntries(indexLedger(changes));
}

/**
 * Workspace MRR at the end of every day in [from, to] (for charts and sparklines): Σ customers' latest row on or
 * before each day. `changes` must hold each customer's latest row before `from` and every row up to `to`.
 */
export function listDailyMrr(changes: readonly MrrChange[], from: Day, to: Day): { day: Day; mrr: number }[] {
  const rows = [...changes].filter((c) => c.day <= to).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const current = new Map<string, number>();
  let total = 0;
  let i = 0;
  const out: { day: Day; mrr: number }[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    for (; i < rows.length; i++) {
      const row = rows[i];
      if (!row || row.day > day) break;
      total += row.mrr - (current.get(row.customerId) ?? 0);
      current.set(row.customerId, row.mrr);
    }
    out.push({ day, mrr: total });
  }
  return out;
}
