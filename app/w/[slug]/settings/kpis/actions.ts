"use server";

import { revalidatePath } from "next/cache";
import { action } from "@/lib/actions";
import { AppError, type FieldErrors } from "@/lib/errors";
import { minorExponent } from "@/lib/format";
import { getMetricConfig, updateMetricConfig } from "@/lib/kpi/settings";
import { updateKpiSettingsSchema } from "./schemas";

/** "4500.5" → 450050 in a 2-decimal currency, exactly (string digits, no float); null when it has too many places. */
function toMinorUnits(major: string, currency: string): number | null {
  const e = minorExponent(currency);
  const [whole = "0", fraction = ""] = major.split(".");
  if (fraction.length > e) return null;
  return Number(`${whole}${fraction.padEnd(e, "0")}`);
}

export const updateKpiSettingsAction = action({
  permission: "policies.write",
  schema: updateKpiSettingsSchema,
  run: async ({ ctx, input, db }) => {
    const currency = ctx.workspace.currency;
    const retentionCosts: Record<string, number> = {};
    const fieldErrors: FieldErrors = {};
    for (const [category, text] of Object.entries(input.retentionCosts)) {
      if (text === "") continue;
      const minor = toMinorUnits(text, currency);
      if (minor === null || !Number.isSafeInteger(minor))
        fieldErrors[`retentionCosts.${category}`] = [
          `Use at most ${minorExponent(currency)} decimal places for ${currency.toUpperCase()}.`,
        ];
      else retentionCosts[category] = minor;
    }
    if (Object.keys(fieldErrors).length > 0) throw new AppError("VALIDATION", undefined, { fieldErrors });
    // The stored settings are replaced as a whole: keep the finance settings this form doesn't show.
    const { settings } = await getMetricConfig(ctx.workspace.id, db);
    await updateMetricConfig({
      db,
      ctx,
      input: {
        settings: {
          grossMargin: settings.grossMargin,
          ltvChurnWindowMonths: settings.ltvChurnWindowMonths,
          ...input.settings,
          retentionCosts,
        },
      },
    });
    revalidatePath(`/w/${ctx.workspace.slug}`, "layout");
    return { saved: true };
  },
});
