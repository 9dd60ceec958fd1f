import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("parseEnv", () => {
  it("defaults: PGlite in ./.data, port 3000, policy changes in the background above 2000 customers", () => {
    const env = parseEnv({});
    expect([env.DATABASE_URL, env.DATA_DIR, env.PORT, env.APP_URL, env.POLICY_BACKGROUND_ABOVE]).toEqual([
      undefined,
      "./.data",
      3000,
      "http://localhost:3000",
      2000,
    ]);
  });

  it("reads POLICY_BACKGROUND_ABOVE as a count, and names it when it is not one", () => {
    expect(parseEnv({ POLICY_BACKGROUND_ABOVE: "0" }).POLICY_BACKGROUND_ABOVE).toBe(0);
    expect(() => parseEnv({ POLICY_BACKGROUND_ABOVE: "-1" })).toThrow(
      "invalid environment: POLICY_BACKGROUND_ABOVE must be 0 or more",
    );
    expect(() => parseEnv({ POLICY_BACKGROUND_ABOVE: "many" })).toThrow(
      /^invalid environment: POLICY_BACKGROUND_ABOVE /,
    );
  });

  it("requires the secrets in production, naming the first missing one", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow("invalid environment: AUTH_SECRET is required");
  });
});
