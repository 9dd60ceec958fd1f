import { afterEach, describe, expect, it, vi } from "vitest";
import { log } from "./log";

describe("log", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes one JSON line to stderr and keeps a database error's parameters out of it", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const cause = Object.assign(new Error("invalid input syntax for type timestamp"), { code: "22007" });
    const wrapped = new Error("Failed query: select * from users where email = $1\nparams: alice@example.com", {
      cause,
    });
    log.error("api.failed", { ref: "abc123", err: wrapped });
    expect(write).toHaveBeenCalledTimes(1);
    const line = String(write.mock.calls[0]![0]);
    expect(line.endsWith("\n")).toBe(true);
    const entry = JSON.parse(line);
    expect(entry).toMatchObject({ level: "error", msg: "api.failed", ref: "abc123" });
    expect(entry.err).toMatchObject({ message: "invalid input syntax for type timestamp", code: "22007" });
    expect(entry.err.query).toBe("select * from users where email = $1");
    expect(line).not.toContain("alice@example.com");
  });
});
