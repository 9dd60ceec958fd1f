import fs from "node:fs";
import Papa from "papaparse";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { loadFxRates } from "@/lib/kpi/settings";
import { systemCtx } from "@/lib/workspaces/context";
import { slugSchema } from "@/lib/workspaces/schemas";
import { defineCommand } from "./registry";
import { resolveWorkspaceFlag } from "./workspace-commands";

/**
 * Loads FX rates from a CSV with the columns `currency`, `date` (or `rateDate`) and `rate`: 1 unit of `currency`
 * is worth `rate` units of the workspace's reporting currency from that date on. All rows or none.
 */
export const loadFxRatesCommand = defineCommand({
  description: "Load FX rates (CSV: currency,date,rate) into the workspace's rates table",
  flags: z.strictObject({ workspace: slugSchema, file: z.string().min(1, "must name a CSV file") }),
  async run({ handle, flags }) {
    const workspace = await resolveWorkspaceFlag(flags.workspace, handle.db);
    let text: string;
    try {
      text = fs.readFileSync(flags.file, "utf8");
    } catch {
      throw new AppError("VALIDATION", `cannot read --file ${flags.file}`);
    }
    const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true, skipEmptyLines: true });
    const rows = parsed.data.map((r) => ({ currency: r.currency, rateDate: r.rateDate ?? r.date, rate: r.rate }));
    return loadFxRates({ db: handle.db, ctx: systemCtx(workspace), input: { rows } });
  },
});
