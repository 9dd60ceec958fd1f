// Expected failures, thrown where found and answered once at the edge (action wrapper, apiRoute, CLI).
export type ErrorCode =
  | "UNAUTHENTICATED"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "VALIDATION"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "INTERNAL";

export const errorStatus: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  VALIDATION: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** CLI exit codes: 1 for bad input, 2 for anything else (interfaces.md). */
export const errorExitCode: Record<ErrorCode, 1 | 2> = {
  UNAUTHENTICATED: 2,
  NOT_FOUND: 1,
  FORBIDDEN: 2,
  VALIDATION: 1,
  CONFLICT: 1,
  RATE_LIMITED: 2,
  UNAVAILABLE: 2,
  INTERNAL: 2,
};

export const defaultMessage: Record<ErrorCode, string> = {
  UNAUTHENTICATED: "Sign in to continue.",
  NOT_FOUND: "Not found.",
  FORBIDDEN: "Your role doesn't include this. An owner or admin can change it.",
  VALIDATION: "Please check the highlighted fields.",
  CONFLICT: "That already exists, or it changed meanwhile.",
  RATE_LIMITED: "Too many attempts. Try again in a minute.",
  UNAVAILABLE: "Northstar can't reach its database right now. Try again shortly.",
  INTERNAL: "Something went wrong.",
};

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly fieldErrors: FieldErrors | undefined;

  constructor(
    code: ErrorCode,
    message?: string,
    extra: { details?: unknown; fieldErrors?: FieldErrors; cause?: unknown } = {},
  ) {
    super(message ?? defaultMessage[code], { cause: extra.cause });
    this.name = "AppError";
    this.code = code;
    this.details = extra.details;
    this.fieldErrors = extra.fieldErrors;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** A short reference that ties a person's error message to its log line. */
export function newErrorRef(): string {
  return Math.random().toString(36).slice(2, 8);
}

const TRANSIENT_PG_CODES = new Set([
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "53300",
  "40001",
  "40P01",
  "57014",
]);

/** True for faults a retry can fix: the database is down, a connection dropped, a serialization failure. */
export function isTransientDbError(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== "object") return false;
  if (
    typeof e.code === "string" &&
    (TRANSIENT_PG_CODES.has(e.code) ||
      [
        "ECONNREFUSED",
        "ECONNRESET",
        "ETIMEDOUT",
        "CONNECTION_CLOSED",
        "CONNECT_TIMEOUT",
        "CONNECTION_ENDED",
        "CONNECTION_DESTROYED",
      ].includes(e.code))
  )
    return true;
  return e.cause ? isTransientDbError(e.cause) : false;
}
