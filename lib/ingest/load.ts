/**
 * Loaders that turn stored ingest events into the records lib/metrics reads (lib/metrics/kpi-inputs.ts): the
 * validated event as stored, `occurredAt` as epoch milliseconds, plus `day`, its local `YYYY-MM-DD` in the
 * workspace time zone, computed by Postgres (db/queries/ingest-events.ts). Records stay unlinked here: linking by
 * customer id, email or domain is the KPI layer's job (metrics.md §1.4), since customers may arrive after events.
 */
import type { Executor } from "@/db/client";
import { listIngestEventsByDay, type IngestDayRange, type IngestEventReadRow } from "@/db/queries/ingest-events";
import type {
  CsatResponseRecord,
  LeadRecord,
  LifecycleStageRecord,
  NpsResponseRecord,
  ProductActivityRecord,
  SignupRecord,
  SpendRecord,
  TicketRecord,
  VisitRecord,
} from "@/lib/metrics/kpi-inputs";
import type { IngestEventType } from "./schemas";

export type { IngestDayRange } from "@/db/queries/ingest-events";

/** The record type each ingest type becomes. */
export type IngestRecordOf = {
  visit: VisitRecord;
  signup: SignupRecord;
  lead: LeadRecord;
  lifecycle_stage: LifecycleStageRecord;
  marketing_spend: SpendRecord;
  nps_response: NpsResponseRecord;
  csat_response: CsatResponseRecord;
  ticket_opened: TicketRecord;
  ticket_first_response: TicketRecord;
  ticket_resolved: TicketRecord;
  product_activity: ProductActivityRecord;
};

// Payloads were validated by the ingest schema on the way in and are never updated, so they are trusted here.
function toRecord(row: IngestEventReadRow): IngestRecordOf[IngestEventType] {
  return { ...row.payload, id: row.id, type: row.type, occurredAt: row.occurredAt.getTime(), day: row.day } as never;
}

/** Records of the given types in [from, to] (local days, both inclusive), oldest first, grouped by type. */
export async function listIngestRecords<T extends IngestEventType>(
  workspaceId: string,
  db: Executor,
  types: readonly T[],
  range: IngestDayRange,
): Promise<{ [K in T]: IngestRecordOf[K][] }> {
  const grouped = Object.fromEntries(types.map((type) => [type, [] as unknown[]])) as Record<string, unknown[]>;
  for (const row of await listIngestEventsByDay(workspaceId, db, types, range)) grouped[row.type]?.push(toRecord(row));
  return grouped as { [K in T]: IngestRecordOf[K][] };
}

export type MarketingRecords = {
  visits: VisitRecord[];
  signups: SignupRecord[];
  leads: LeadRecord[];
  stages: LifecycleStageRecord[];
  spend: SpendRecord[];
  activity: ProductActivityRecord[];
};

/**
 * The record lists of `MarketingKpiInput` (lib/metrics/marketing-cs-kpis.ts), named as it names them, so they
 * spread into it. One query. Pass no `from` to reach back to the first event (first touch, stages, PQLs need it).
 */
export async function listMarketingRecords(
  workspaceId: string,
  db: Executor,
  range: IngestDayRange,
): Promise<MarketingRecords> {
  const r = await listIngestRecords(
    workspaceId,
    db,
    ["visit", "signup", "lead", "lifecycle_stage", "marketing_spend", "product_activity"],
    range,
  );
  return {
    visits: r.visit,
    signups: r.signup,
    leads: r.lead,
    stages: r.lifecycle_stage,
    spend: r.marketing_spend,
    activity: r.product_activity,
  };
}

export type SuccessRecords = {
  npsResponses: NpsResponseRecord[];
  csatResponses: CsatResponseRecord[];
  /** The three ticket types in one list, oldest first. */
  tickets: TicketRecord[];
  activity: ProductActivityRecord[];
};

/** The record lists of `SuccessKpiInput`, named as it names them. One query; see listMarketingRecords for `from`. */
export async function listSuccessRecords(
  workspaceId: string,
  db: Executor,
  range: IngestDayRange,
): Promise<SuccessRecords> {
  const rows = await listIngestEventsByDay(
    workspaceId,
    db,
    ["nps_response", "csat_response", "ticket_opened", "ticket_first_response", "ticket_resolved", "product_activity"],
    range,
  );
  const out: SuccessRecords = { npsResponses: [], csatResponses: [], tickets: [], activity: [] };
  for (const row of rows) {
    const record = toRecord(row);
    if (row.type === "nps_response") out.npsResponses.push(record as NpsResponseRecord);
    else if (row.type === "csat_response") out.csatResponses.push(record as CsatResponseRecord);
    else if (row.type === "product_activity") out.activity.push(record as ProductActivityRecord);
    else out.tickets.push(record as TicketRecord);
  }
  return out;
}
