"use client";

import { ActionForm, Field, SelectField, SubmitButton, type FormState } from "@/app/_components/form";
import { updateKpiSettingsAction } from "./actions";

type Values = Record<string, string>;

/** A group's own error (a sum of weights, the order of the bands), shown under its fieldset. */
function GroupError({ state, name }: { state: FormState; name: string }) {
  const errors = state && !state.ok ? state.fieldErrors?.[name] : undefined;
  return errors?.length ? (
    <p className="text-xs text-red-600" data-testid={`error-${name}`}>
      {errors.join(" ")}
    </p>
  ) : null;
}

function Group({ title, explain, children }: { title: string; explain: string; children: React.ReactNode }) {
  return (
    <fieldset className="space-y-3 rounded-lg border border-gray-200 bg-white p-5">
      <legend className="px-1 font-medium">{title}</legend>
      <p className="text-xs text-gray-500">{explain}</p>
      {children}
    </fieldset>
  );
}

/** The marketing and customer-success KPI settings (metrics.md §4.6); the server checks every range again. */
export function KpiSettingsForm({ slug, values, currency }: { slug: string; values: Values; currency: string }) {
  const act = async (prev: FormState, form: FormData): Promise<FormState> => {
    const r = await updateKpiSettingsAction(slug, prev, form);
    return r.ok ? { ok: true, message: "Saved. The marketing and success pages now use these settings." } : r;
  };
  return (
    <ActionForm action={act} className="space-y-6" testId="kpi-settings-form">
      {(state, pending) => {
        const f = (name: string, label: string, hint?: string, type = "number") => (
          <Field
            key={name}
            name={name}
            label={label}
            type={type}
            defaultValue={values[name] ?? ""}
            state={state}
            {...(hint ? { hint } : {})}
          />
        );
        return (
          <>
            <Group
              title="Attribution and acquisition"
              explain="Which channel wins a new customer, which spend is overhead, and how ROI and activation are measured."
            >
              <div className="grid gap-4 md:grid-cols-2">
                <SelectField
                  name="attribution"
                  label="Attribution"
                  defaultValue={values.attribution ?? "firstTouch"}
                  options={[
                    { value: "firstTouch", label: "First touch (default): the earliest lead or signup" },
                    { value: "lastTouch", label: "Last touch: the latest one before the first payment" },
                  ]}
                  state={state}
                />
                {f(
                  "overheadChannels",
                  "Overhead channels",
                  "Comma-separated, e.g. sales_team, tools: blended CAC only.",
                  "text",
                )}
                {f("roiHorizonMonths", "ROI horizon (months)", "1–60 months of new MRR count as a channel's return.")}
                {f("activationWindowDays", "Activation window (days)", "1–90 days after signup.")}
              </div>
            </Group>
            <Group
              title="Product-qualified leads"
              explain="A signup becomes a PQL on the first day within the window with enough active days and every required action, while not paying."
            >
              <div className="grid gap-4 md:grid-cols-3">
                {f("pqlMinActiveDays", "Minimum active days", "1–90")}
                {f("pqlWindowDays", "Window (days)", "1–90, from the signup day")}
                {f("pqlRequiredActions", "Required actions", "Comma-separated action names; empty: none.", "text")}
              </div>
            </Group>
            <Group title="CSAT" explain="The lowest score that counts as positive on each scale.">
              <div className="grid gap-4 md:grid-cols-2">
                {f("csatPositiveMin.5", "Positive from (5-point scale)", "1–5")}
                {f("csatPositiveMin.10", "Positive from (10-point scale)", "1–10")}
              </div>
            </Group>
            <Group
              title="Engagement score"
              explain="100 × (frequency × active days ÷ target + breadth × active users ÷ seats + key actions × used ÷ listed); weights sum to 1."
            >
              <div className="grid gap-4 md:grid-cols-3">
                {f("engagementWeights.frequency", "Frequency weight", "0–1, 4 decimals")}
                {f("engagementWeights.breadth", "Breadth weight", "0–1")}
                {f("engagementWeights.keyActions", "Key-actions weight", "0–1; above 0 needs key actions")}
                {f("engagementTargetActiveDays", "Target active days", "1–30 of the last 30 days")}
                {f("keyActions", "Key actions", "Comma-separated action names.", "text")}
              </div>
              <GroupError state={state} name="engagementWeights" />
            </Group>
            <Group
              title="Health score"
              explain="Σ weight × component (usage, NPS, tickets, payments, MRR trend), each 0–100; weights sum to 1. Green from the green threshold, red below the red one."
            >
              <div className="grid gap-4 md:grid-cols-5">
                {f("healthWeights.usage", "Usage", "weight 0–1")}
                {f("healthWeights.nps", "NPS", "weight 0–1")}
                {f("healthWeights.tickets", "Tickets", "weight 0–1")}
                {f("healthWeights.payments", "Payments", "weight 0–1")}
                {f("healthWeights.mrrTrend", "MRR trend", "weight 0–1")}
              </div>
              <GroupError state={state} name="healthWeights" />
              <div className="grid gap-4 md:grid-cols-2">
                {f("healthBands.green", "Green from (score)", "1–100; default 70")}
                {f("healthBands.red", "Red below (score)", "0–100, below green; default 40")}
              </div>
              <GroupError state={state} name="healthBands" />
            </Group>
            <Group
              title={`Retention costs (monthly, ${currency.toUpperCase()})`}
              explain="Customer retention cost = these costs for the period (pro-rated by days) ÷ paying customers. Empty: not counted. One amount per category applies to every month."
            >
              <div className="grid gap-4 md:grid-cols-5">
                {f("retentionCosts.staff", "Staff", undefined, "text")}
                {f("retentionCosts.tools", "Tools and software", undefined, "text")}
                {f("retentionCosts.customerMarketing", "Customer marketing", undefined, "text")}
                {f("retentionCosts.training", "Training", undefined, "text")}
                {f("retentionCosts.loyalty", "Loyalty programme", undefined, "text")}
              </div>
              <GroupError state={state} name="retentionCosts" />
            </Group>
            <SubmitButton pending={pending}>Save KPI settings</SubmitButton>
          </>
        );
      }}
    </ActionForm>
  );
}
