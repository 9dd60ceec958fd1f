import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { STRIPE_EVENT_TYPES } from ".";

describe("STRIPE_EVENT_TYPES", () => {
  it("is the list docs/stripe.md tells people to enable (59 types, invoice_payment.paid among them)", () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, "../../../docs/stripe.md"), "utf8");
    const section = doc.split("## Event types to enable")[1]!.split("\n\n")[1]!;
    const listed = [...section.matchAll(/`([a-z_.]+)`/g)].map((m) => m[1]);
    expect(listed).toEqual([...STRIPE_EVENT_TYPES]);
    expect(STRIPE_EVENT_TYPES).toHaveLength(59);
    expect(STRIPE_EVENT_TYPES).toContain("invoice_payment.paid");
  });
});
