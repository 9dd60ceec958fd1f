import { z } from "zod";
import { roles, scopes } from "@/lib/auth/permissions";

// Shared by the forms, the server actions and the admin CLI: one definition of what a valid input is.

const currencies = new Set(Intl.supportedValuesOf("currency").map((c) => c.toLowerCase()));
const timeZones = new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address."));
export const passwordSchema = z.string().min(8, "Use at least 8 characters.").max(200, "Use at most 200 characters.");
export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, "Use 1–48 lowercase letters, digits and hyphens.");
export const currencySchema = z
  .string()
  .trim()
  .toLowerCase()
  .refine((c) => currencies.has(c), "Use an ISO 4217 currency code such as usd or eur.");
export const timezoneSchema = z
  .string()
  .trim()
  .refine((tz) => timeZones.has(tz), "Use an IANA time zone such as UTC or Europe/Berlin.");
export const roleSchema = z.enum(roles, { error: `Role must be one of: ${roles.join(", ")}.` });
export const scopeListSchema = z
  .array(z.enum(scopes, { error: `Scopes must be among: ${scopes.join(", ")}.` }))
  .min(1, "Choose at least one scope.");

export const createWorkspaceSchema = z.object({
  name: z.string().trim().min(1, "Enter a name.").max(100),
  slug: slugSchema,
  currency: currencySchema.default("usd"),
  timezone: timezoneSchema.default("UTC"),
});

export const updateWorkspaceSchema = z.object({
  name: z.string().trim().min(1, "Enter a name.").max(100),
  currency: currencySchema,
  timezone: timezoneSchema,
});

export const inviteMemberSchema = z.object({ email: emailSchema, role: roleSchema });
export const changeRoleSchema = z.object({ userId: z.string().min(1), role: roleSchema });
export const removeMemberSchema = z.object({ userId: z.string().min(1) });
export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, "Enter a name.").max(100).default("API key"),
  scopes: scopeListSchema,
});
export const revokeApiKeySchema = z.object({ id: z.string().min(1) });
