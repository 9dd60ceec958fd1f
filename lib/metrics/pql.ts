/**
 * Product-qualified leads (metrics.md §4.2 `pqls`, `pqlConversionRate`; the rule in §4.5).
 */
import type { CustomerLinker, MrrLookup } from "./customer-linking";
import {
  isInPeriod,
  type KpiPeriod,
  type KpiOutput,
  type KpiSettings,
  type ProductActivityRecord,
  type RatioBreakdown,
  type SignupRecord,
} from "./kpi-inputs";
import { addDays, listDays, toRatio } from "./kpi-math";
import type { Day } from "./types";

export type PqlInput = {
  /** Signups from `pqlWindowDays` before P up to D: an older signup can still reach its PQL day in P. */
  signups: readonly SignupRecord[];
  activity: readonly ProductActivityRecord[];
  period: KpiPeriod;
  linker: CustomerLinker;
  mrr: MrrLookup;
  settings: Pick<KpiSettings, "pqlMinActiveDays" | "pqlWindowDays" | "pqlRequiredActions">;
};

export type PqlRow = {
  /** The linked customer id, or `user:<userId>` for a signup not linked to a customer. */
  account: string;
  pqlDay: Day;
  signupId: string;
  /** Customers whose MRR decides "not yet paying" and conversion for this account. */
  customerIds: string[];
};

type DayActions = Map<Day, Set<string>>;

function indexActivity(activity: readonly ProductActivityRecord[], asOf: Day) {
  const byUser = new Map<string, DayActions>();
  const byCustomer = new Map<string, DayActions>();
  const customersOfUser = new Map<string, Set<string>>();
  const add = (map: Map<string, DayActions>, key: string, record: ProductActivityRecord) => {
    let days = map.get(key);
    if (!days) map.set(key, (days = new Map()));
    let actions = days.get(record.day);
    if (!actions) days.set(record.day, (actions = new Set()));
    if (record.action) actions.add(record.action);
  };
  for (const record of activity) {
    if (record.day > asOf) continue;
    add(byUser, record.userId, record);
    add(byCustomer, record.customerId, record);
    const customers = customersOfUser.get(record.userId) ?? new Set<string>();
    customers.add(record.customerId);
    customersOfUser.set(record.userId, customers);
  }
  return { byUser, byCustomer, customersOfUser };
}

/**
 * Finds each account's PQL day: the first day d in [signup day, signup day + pqlWindowDays − 1] (and ≤ D) on which
 * the account has activity on ≥ pqlMinActiveDays distinct days since the signup day, has performed every action of
 * pqlRequiredActions, and has MRR 0. The account is the signup's linked customer, or else its userId; activity
 * matches by that customer or by the signup's userId. An unlinked account's MRR is that of the customers its
 * user's activity names, so a user who joins an already-paying customer never becomes a PQL. With several signups,
 * the account's earliest PQL day counts.
 */
export function toPqlRows(input: PqlInput): PqlRow[] {
  const asOf = input.period.end;
  const { byUser, byCustomer, customersOfUser } = indexActivity(input.activity, asOf);
  const { pqlMinActiveDays, pqlWindowDays, pqlRequiredActions } = input.settings;
  const rows = new Map<string, PqlRow>();
  for (const signup of input.signups) {
    if (signup.day > asOf) continue;
    const customerId = input.linker.link(signup);
    const account = customerId ?? `user:${signup.userId}`;
    const customerIds = customerId ? [customerId] : [...(customersOfUser.get(signup.userId) ?? [])];
    const sources = [byUser.get(signup.userId), customerId ? byCustomer.get(customerId) : undefined];
    const last = addDays(signup.day, pqlWindowDays - 1);
    const activeDays = new Set<Day>();
    const actions = new Set<string>();
    for (const day of listDays(signup.day, last < asOf ? last : asOf)) {
      for (const source of sources) {
        const dayActions = source?.get(day);
        if (!dayActions) continue;
        activeDays.add(day);
        for (const action of dayActions) actions.add(action);
      }
      const qualifies =
        activeDays.size >= pqlMinActiveDays &&
        pqlRequiredActions.every((action) => actions.has(action)) &&
        customerIds.every((id) => input.mrr.mrrOn(id, day) === 0);
      if (qualifies) {
        const known = rows.get(account);
        if (!known || day < known.pqlDay) rows.set(account, { account, pqlDay: day, signupId: signup.id, customerIds });
        break;
      }
    }
  }
  return [...rows.values()];
}

/** `pqls` = #accounts whose PQL day falls in P. Reads `pqlMinActiveDays`, `pqlWindowDays`, `pqlRequiredActions`. */
export function computePqls(input: PqlInput): KpiOutput<number, { accounts: PqlRow[] }> {
  const accounts = toPqlRows(input).filter((row) => isInPeriod(row.pqlDay, input.period));
  return { value: accounts.length, breakdown: { accounts } };
}

/**
 * `pqlConversionRate` = #(PQLs of P whose account has MRR > 0 on any day after the PQL day, up to D) ÷ pqls.
 * No PQLs → null.
 */
export function computePqlConversionRate(
  input: PqlInput,
): KpiOutput<number | null, RatioBreakdown & { converted: string[] }> {
  const accounts = computePqls(input).breakdown.accounts;
  const converted = accounts.filter((row) =>
    row.customerIds.some((id) => input.mrr.isPaidBetween(id, addDays(row.pqlDay, 1), input.period.end)),
  );
  return {
    value: toRatio(converted.length, accounts.length),
    breakdown: {
      numerator: converted.length,
      denominator: accounts.length,
      converted: converted.map((r) => r.account),
    },
  };
}
