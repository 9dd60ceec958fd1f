import { describe, expect, it } from "vitest";
import { formatChannel, formatDuration, formatPoints } from "./mcs-format";

describe("mcs-format", () => {
  it.each([
    [null, "—"],
    [45, "45s"],
    [600, "10m"],
    [3900, "1h 5m"],
    [93600, "1d 2h"],
    [86400, "1d"],
  ])("formats %s seconds as %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it("keeps only the largest unit on chart axes (93600 s → 1d, 4500 s → 1h)", () => {
    expect(formatDuration(93600, { compact: true })).toBe("1d");
    expect(formatDuration(4500, { compact: true })).toBe("1h");
  });

  it("shows scores to one decimal by default (33.3333 → 33.3) and points to two (18.25), never a null as 0", () => {
    expect(formatPoints(33.3333)).toBe("33.3");
    expect(formatPoints(54)).toBe("54");
    expect(formatPoints(18.25, { digits: 2 })).toBe("18.25");
    expect(formatPoints(null)).toBe("—");
  });

  it("labels channel keys (google_ads → Google ads)", () => {
    expect(formatChannel("google_ads")).toBe("Google ads");
  });
});
