import { describe, expect, it } from "vitest";
import { checkCsv, formatRowError, summarizeCsvErrors } from "./import";

describe("checkCsv", () => {
  const csv = [
    "id,occurred_at,respondent_id,score",
    "n1,2026-06-01T09:00:00Z,r1,9",
    "n2,2026-06-01T09:00:00Z,r2,11",
    "n3,2026-06-01T09:00:00Z,,7",
  ].join("\n");

  it("maps columns by name and counts bad rows (rows 2 and 3 of 3), naming the first one", () => {
    const check = checkCsv(csv, "nps_response");
    expect(check.mapping).toEqual({
      id: "id",
      occurredAt: "occurred_at",
      respondentId: "respondent_id",
      score: "score",
    });
    expect(check.events.map((e) => e.id)).toEqual(["n1"]);
    expect(check.badRows).toBe(2);
    expect(summarizeCsvErrors(check)).toBe(
      "row 2: score: Too big: expected number to be <=10; 2 rows have errors, nothing imported",
    );
  });

  it("reports a required field without a column as a header error, not one per row", () => {
    const check = checkCsv("occurred_at,contact_id\n2026-06-01T09:00:00Z,c1\n", "lead");
    expect(check.errors).toEqual([{ row: 0, field: "source", message: 'No column for required field "source"' }]);
    expect(check.badRows).toBe(0);
    expect(summarizeCsvErrors(check)).toBe('header: source: No column for required field "source"; nothing imported');
  });

  it("uses the given mapping instead of the suggested one", () => {
    const check = checkCsv("when,who,channel_name\n2026-06-01T09:00:00Z,c1,Google Ads\n", "lead", {
      occurredAt: "when",
      contactId: "who",
      source: "channel_name",
    });
    expect(check.errors).toEqual([]);
    expect(check.events[0]).toMatchObject({ contactId: "c1", source: "google_ads" });
  });

  it("formats a row problem without a field", () => {
    expect(formatRowError({ row: 4, field: "", message: "Expected 3 cells, found 2" })).toBe(
      "row 4: Expected 3 cells, found 2",
    );
  });
});
