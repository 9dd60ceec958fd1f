import { z } from "zod";
import { AppError, errorStatus, isAppError, isTransientDbError, newErrorRef } from "@/lib/errors";
import { log } from "@/lib/log";

type Handler<C> = (req: Request, ctx: C) => Promise<Response>;

/**
 * Wraps an API route: AppErrors become `{ "error": { code, message, details? } }` with their status; anything
 * else is logged with a ref and answered 500 (or 503 when the database is unreachable), without internals.
 */
export function apiRoute<C>(handler: Handler<C>): Handler<C> {
  return async (req, ctx) => {
    try {
      return await handler(req, ctx);
    } catch (err) {
      return toErrorResponse(err, new URL(req.url).pathname);
    }
  };
}

export function toErrorResponse(err: unknown, route: string): Response {
  if (isAppError(err)) {
    const body = {
      error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) },
    };
    const headers: Record<string, string> = { "cache-control": "no-store" };
    // RFC 6750: a 401 names the scheme the API takes.
    if (err.code === "UNAUTHENTICATED") headers["www-authenticate"] = 'Bearer realm="northstar"';
    return Response.json(body, { status: errorStatus[err.code], headers });
  }
  const ref = newErrorRef();
  const transient = isTransientDbError(err);
  log.error("api.failed", { route, ref, err });
  const code = transient ? "UNAVAILABLE" : "INTERNAL";
  const message = transient
    ? "Northstar can't reach its database right now. Try again shortly."
    : `Something went wrong (ref ${ref}). The ref is in the log line.`;
  return Response.json(
    { error: { code, message } },
    { status: transient ? 503 : 500, headers: { "cache-control": "no-store" } },
  );
}

/** Parses a query string with zod; a bad value is a 400 naming the parameter. */
export function parseQuery<T extends z.ZodType>(req: Request, schema: T): z.output<T> {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const result = schema.safeParse(params);
  if (!result.success)
    throw new AppError("VALIDATION", "Invalid query parameters.", {
      details: result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  return result.data;
}

/** Reads a JSON body with a size cap; malformed JSON is a 400. */
export async function readJson(req: Request, { maxBytes }: { maxBytes: number }): Promise<unknown> {
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > maxBytes) throw new AppError("VALIDATION", `The body is larger than ${maxBytes} bytes.`);
  const text = await req.text();
  if (Buffer.byteLength(text) > maxBytes)
    throw new AppError("VALIDATION", `The body is larger than ${maxBytes} bytes.`);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("VALIDATION", "The body is not valid JSON.");
  }
}

export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD.")
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    "Not a calendar date.",
  );
