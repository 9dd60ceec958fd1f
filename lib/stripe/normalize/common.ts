import { z } from "zod";
import type { Normalized } from "../types";

/** Stripe's Unix seconds → our epoch milliseconds. */
export const toInstant = (seconds: number): number => seconds * 1000;
export const toInstantOrNull = (seconds: number | null | undefined): number | null =>
  seconds === null || seconds === undefined ? null : seconds * 1000;

/** Loose objects: unknown fields are fine; a missing or mistyped used field is a rejection. */
export const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

export const unixSeconds = z.number().int();
export const nullableSeconds = unixSeconds.nullable().optional();
export const currency = z
  .string()
  .regex(/^[a-zA-Z]{3}$/, "must be a 3-letter ISO 4217 code")
  .transform((c) => c.toLowerCase());
export const money = z.number().int();

/** A reference Stripe sends either as an id string or as the expanded object. */
export const idOrObject = z
  .union([z.string(), loose({ id: z.string() })])
  .transform((v) => (typeof v === "string" ? v : v.id));

/** A decimal Stripe sends as a JSON number (`percent_off: 25.0`, `percentage: 19`), kept as a decimal string. */
export const decimalString = z
  .union([z.number(), z.string()])
  .transform((v) => (typeof v === "number" ? String(v) : v));

export function parseWith<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  map: (data: z.output<S>) => T,
): Normalized<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: formatIssues(parsed.error) };
  return { ok: true, value: map(parsed.data) };
}

export function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`)
    .join("; ");
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
