import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  comparisonPeriod,
  diffDays,
  endOfLocalDay,
  listPeriods,
  resolvePeriod,
  startOfLocalDay,
  startOfPeriod,
  toLocalDay,
} from "./time";

describe("local days", () => {
  it("R7: puts 2026-06-11T03:30:00Z on 2026-06-10 in America/New_York (UTC−4 in June)", () => {
    expect(toLocalDay(Date.parse("2026-06-11T03:30:00Z"), "America/New_York")).toBe("2026-06-10");
    expect(toLocalDay(Date.parse("2026-06-11T03:30:00Z"), "UTC")).toBe("2026-06-11");
  });

  it("makes the DST-start day 23 hours and the DST-end day 25 hours long (New York, 2026-03-08 / 2026-11-01)", () => {
    const tz = "America/New_York";
    expect(endOfLocalDay("2026-03-08", tz) - startOfLocalDay("2026-03-08", tz)).toBe(23 * 3_600_000);
    expect(endOfLocalDay("2026-11-01", tz) - startOfLocalDay("2026-11-01", tz)).toBe(25 * 3_600_000);
    expect(startOfLocalDay("2026-06-10", tz)).toBe(Date.parse("2026-06-10T04:00:00Z"));
  });

  it("starts a day whose midnight DST skips at the first instant of that day (Santiago, 2026-09-06 starts 01:00)", () => {
    const start = startOfLocalDay("2026-09-06", "America/Santiago");
    expect(toLocalDay(start, "America/Santiago")).toBe("2026-09-06");
    expect(toLocalDay(start - 1, "America/Santiago")).toBe("2026-09-05");
  });

  it("clamps month arithmetic (2024-02-29 − 12 months = 2023-02-28; Jan 31 + 1 month = Feb 28)", () => {
    expect(addMonths("2024-02-29", -12)).toBe("2023-02-28");
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(diffDays("2026-03-10", "2026-05-02")).toBe(53);
  });

  it("starts ISO weeks on Monday and quarters in Jan/Apr/Jul/Oct", () => {
    expect(startOfPeriod("2026-06-21", "week")).toBe("2026-06-15"); // a Sunday → its Monday
    expect(startOfPeriod("2026-08-19", "quarter")).toBe("2026-07-01");
    expect(startOfPeriod("2026-08-19", "year")).toBe("2026-01-01");
  });

  it("lists calendar periods cut to the range, touching end to start", () => {
    expect(listPeriods("2026-06-10", "2026-08-05", "month")).toEqual([
      { start: "2026-06-10", end: "2026-06-30" },
      { start: "2026-07-01", end: "2026-07-31" },
      { start: "2026-08-01", end: "2026-08-05" },
    ]);
  });
});

describe("periods", () => {
  it("Z3: June cut at the 20th is partial, 20 of 30 days, compared with May 1–20", () => {
    const p = resolvePeriod("2026-06-20", "month");
    expect(p).toEqual({ start: "2026-06-01", end: "2026-06-20", partial: true, daysElapsed: 20, daysInPeriod: 30 });
    const prev = comparisonPeriod(p, "month");
    expect([prev.start, prev.end]).toEqual(["2026-05-01", "2026-05-20"]);
  });

  it("compares a complete month with the whole previous month (Sep 30 → all of Aug)", () => {
    const p = resolvePeriod("2026-09-30", "month");
    expect(p.partial).toBe(false);
    const prev = comparisonPeriod(p, "month");
    expect([prev.start, prev.end]).toEqual(["2026-08-01", "2026-08-31"]);
  });

  it("clamps the comparison to the previous period's length (Mar 1–30 → all 28 days of Feb)", () => {
    const prev = comparisonPeriod(resolvePeriod("2026-03-30", "month"), "month");
    expect([prev.start, prev.end, prev.daysElapsed]).toEqual(["2026-02-01", "2026-02-28", 28]);
  });
});

describe("local day boundaries (property)", () => {
  const zones = [
    "UTC",
    "America/New_York",
    "America/Santiago",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Apia",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Europe/London",
  ];
  // The oracle: the zone's wall clock from Intl, independent of the cached day bounds toLocalDay reads.
  const intlDay = (t: number, tz: string) => {
    const parts = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(new Date(t))
      .filter((p) => p.type !== "literal")
      .map((p) => p.value);
    return parts.join("-");
  };

  it("puts any instant on the day the zone's wall clock shows, across DST changes and skipped days", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2030, 0, 1) }),
        (tz, t) => {
          expect([tz, t, toLocalDay(t, tz)]).toEqual([tz, t, intlDay(t, tz)]);
        },
      ),
      { numRuns: 2000 },
    );
    // Pacific/Apia skipped 2011-12-30; Santiago's midnight is skipped at its spring change (2022-09-11).
    for (const [tz, from] of [
      ["Pacific/Apia", Date.UTC(2011, 11, 29)],
      ["America/Santiago", Date.UTC(2022, 8, 10)],
      ["Australia/Lord_Howe", Date.UTC(2024, 9, 5)],
    ] as const)
      for (let t = from; t < from + 3 * 86_400_000; t += 7 * 60_000)
        expect([tz, t, toLocalDay(t, tz)]).toEqual([tz, t, intlDay(t, tz)]);
  });

  it("starts every day at the first instant that falls on it, in zones with odd offsets and DST", () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: 3650 }), (tz, n) => {
        const day = addDays("2020-01-01", n);
        const start = startOfLocalDay(day, tz);
        expect(toLocalDay(start, tz)).toBe(day);
        expect(toLocalDay(start - 1, tz) < day).toBe(true);
        const length = endOfLocalDay(day, tz) - start;
        expect(length >= 22 * 3_600_000 && length <= 26 * 3_600_000).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
