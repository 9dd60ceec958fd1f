import { describe, expect, it } from "vitest";
import { listUnmappedHeaders, mapRows, parseCsv, suggestMapping } from "./csv";

describe("parseCsv", () => {
  it("splits header and rows, drops a BOM and blank lines, keeps quoted commas", () => {
    const table = parseCsv('\uFEFFid,channel,comment\n1,google_ads,"a, b"\n\n2,linkedin,x\n');
    expect(table.headers).toEqual(["id", "channel", "comment"]);
    expect(table.rows).toEqual([
      ["1", "google_ads", "a, b"],
      ["2", "linkedin", "x"],
    ]);
    expect(table.errors).toEqual([]);
  });

  it("reports an unclosed quote with its data row", () => {
    const table = parseCsv('id,channel\n1,"google_ads\n');
    expect(table.errors.length).toBeGreaterThan(0);
    expect(table.errors[0]?.row).toBe(1);
  });
});

describe("suggestMapping", () => {
  it("matches headers to fields ignoring case, spaces, underscores and hyphens", () => {
    const mapping = suggestMapping(
      ["Occurred At", "TICKET_ID", "first-contact-resolution", "notes"],
      "ticket_resolved",
    );
    expect(mapping).toEqual({
      occurredAt: "Occurred At",
      ticketId: "TICKET_ID",
      firstContactResolution: "first-contact-resolution",
    });
    expect(listUnmappedHeaders(["Occurred At", "TICKET_ID", "first-contact-resolution", "notes"], mapping)).toEqual([
      "notes",
    ]);
  });
});

describe("mapRows", () => {
  const spendCsv = [
    "occurred_at,channel,amount,currency",
    "2026-06-01T00:00:00Z,Google Ads,30000,USD",
    "2026-06-02T00:00:00Z,linkedin,abc,usd",
    "2026-06-03T00:00:00Z,linkedin,,usd",
  ].join("\n");

  it("coerces numbers, validates with the ingest schema and reports 1-based rows (row 2 bad amount, row 3 missing)", () => {
    const table = parseCsv(spendCsv);
    const { events, errors } = mapRows(table, suggestMapping(table.headers, "marketing_spend"), "marketing_spend");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "marketing_spend",
      channel: "google_ads",
      amount: 30000,
      currency: "usd",
      occurredAt: Date.UTC(2026, 5, 1),
    });
    expect(errors.map(({ row, field }) => ({ row, field }))).toEqual([
      { row: 2, field: "amount" },
      { row: 3, field: "amount" },
    ]);
  });

  it("derives the same ids when the same file is imported twice, and distinct ids for identical rows", () => {
    const csv = "occurredAt,visitorId\n2026-06-01T00:00:00Z,v1\n2026-06-01T00:00:00Z,v1\n2026-06-01T00:00:00Z,v2\n";
    const first = mapRows(parseCsv(csv), { occurredAt: "occurredAt", visitorId: "visitorId" }, "visit");
    const second = mapRows(parseCsv(csv), { occurredAt: "occurredAt", visitorId: "visitorId" }, "visit");
    const ids = first.events.map((event) => event.id);
    expect(ids).toEqual(second.events.map((event) => event.id));
    expect(new Set(ids).size).toBe(3);
    expect(ids[0]).toMatch(/^csv_[0-9a-f]{32}$/);
    expect(ids[1]).toBe(`${ids[0]}_2`);
  });

  it("derives a different id for the same cells under another type", () => {
    const csv = "occurredAt,ticketId\n2026-06-01T00:00:00Z,t1\n";
    const mapping = { occurredAt: "occurredAt", ticketId: "ticketId" };
    const opened = mapRows(parseCsv(csv), mapping, "ticket_opened").events[0];
    const answered = mapRows(parseCsv(csv), mapping, "ticket_first_response").events[0];
    expect(opened?.id).not.toBe(answered?.id);
  });

  it("uses the id column when mapped", () => {
    const csv = "id,occurredAt,visitorId\nabc,2026-06-01T00:00:00Z,v1\n";
    const table = parseCsv(csv);
    expect(mapRows(table, suggestMapping(table.headers, "visit"), "visit").events[0]?.id).toBe("abc");
  });

  it("coerces booleans true/false, yes/no, 1/0 and rejects anything else", () => {
    const cells = ["true", "FALSE", "yes", "no", "1", "0", "maybe"];
    const csv = [
      "occurredAt,ticketId,firstContactResolution",
      ...cells.map((c, i) => `2026-06-01T00:00:00Z,t${i},${c}`),
    ];
    const { events, errors } = mapRows(
      parseCsv(csv.join("\n")),
      { occurredAt: "occurredAt", ticketId: "ticketId", firstContactResolution: "firstContactResolution" },
      "ticket_resolved",
    );
    expect(events.map((event) => event.firstContactResolution)).toEqual([true, false, true, false, true, false]);
    expect(errors).toMatchObject([{ row: 7, field: "firstContactResolution" }]);
  });

  it("treats empty cells as absent so defaults apply (csat scale 5, audience customer)", () => {
    const csv = "occurredAt,score,scale,touchpoint\n2026-06-01T00:00:00Z,4,,\n2026-06-01T00:00:00Z,9,10,billing\n";
    const table = parseCsv(csv);
    const { events, errors } = mapRows(table, suggestMapping(table.headers, "csat_response"), "csat_response");
    expect(errors).toEqual([]);
    expect(events.map(({ score, scale, touchpoint }) => ({ score, scale, touchpoint }))).toEqual([
      { score: 4, scale: 5, touchpoint: undefined },
      { score: 9, scale: 10, touchpoint: "billing" },
    ]);
  });

  it("returns one row-0 error per required field without a column instead of failing every row", () => {
    const table = parseCsv("occurredAt\n2026-06-01T00:00:00Z\n2026-06-02T00:00:00Z\n");
    const result = mapRows(table, suggestMapping(table.headers, "marketing_spend"), "marketing_spend");
    expect(result.events).toEqual([]);
    expect(result.errors.map((e) => `${e.row}:${e.field}`)).toEqual(["0:channel", "0:amount", "0:currency"]);
  });

  it("reports a mapping to a column that is not in the file, and a row with the wrong cell count", () => {
    const table = parseCsv("occurredAt,visitorId\n2026-06-01T00:00:00Z\n");
    expect(mapRows(table, { occurredAt: "when", visitorId: "visitorId" }, "visit").errors).toMatchObject([
      { row: 0, field: "occurredAt" },
    ]);
    expect(mapRows(table, suggestMapping(table.headers, "visit"), "visit").errors).toMatchObject([
      { row: 1, field: "" },
    ]);
  });

  it("maps 100,000 rows in one linear pass", () => {
    const lines = ["occurredAt,visitorId,source"];
    for (let i = 0; i < 100_000; i++) lines.push(`2026-06-01T00:00:${String(i % 60).padStart(2, "0")}Z,v${i},organic`);
    const table = parseCsv(lines.join("\n"));
    const { events, errors } = mapRows(table, suggestMapping(table.headers, "visit"), "visit");
    expect(errors).toEqual([]);
    expect(events).toHaveLength(100_000);
    expect(new Set(events.map((event) => event.id)).size).toBe(100_000);
  });
});
