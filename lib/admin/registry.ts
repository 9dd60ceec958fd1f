import { z } from "zod";
import type { DbHandle } from "@/db/client";
import { AppError } from "@/lib/errors";

export type Progress = (line: string) => void;
export type CommandArgs<F> = { handle: DbHandle; flags: F; progress: Progress; appUrl: string };
export type AdminCommand<S extends z.ZodType = z.ZodType> = {
  description: string;
  flags: S;
  run: (args: CommandArgs<z.output<S>>) => Promise<unknown>;
};

export function defineCommand<S extends z.ZodType>(command: AdminCommand<S>): AdminCommand<S> {
  return command;
}

/** Parses `--flag value` pairs (and `--flag=value`); a flag without a value is `"true"`. */
export function parseArgv(argv: string[]): { command: string | undefined; flags: Record<string, string> } {
  const [command, ...rest] = argv;
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith("--"))
      throw new AppError("VALIDATION", `unexpected argument "${arg}"; flags look like --name value`);
    const eq = arg.indexOf("=");
    if (eq > 0) {
      flags[toCamel(arg.slice(2, eq))] = arg.slice(eq + 1);
      continue;
    }
    const next = rest[i + 1];
    if (next === undefined || next.startsWith("--")) flags[toCamel(arg.slice(2))] = "true";
    else {
      flags[toCamel(arg.slice(2))] = next;
      i++;
    }
  }
  return { command, flags };
}

const toCamel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const toKebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Validates flags with the command's schema; the first problem becomes one readable line naming the flag. */
export function parseFlags<S extends z.ZodType>(schema: S, flags: Record<string, string>): z.output<S> {
  const result = schema.safeParse(flags);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const flag = issue.path.length ? `--${toKebab(String(issue.path[0]))}` : "flags";
  const message = issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message;
  if (issue.code === "unrecognized_keys")
    throw new AppError("VALIDATION", `unknown flag --${toKebab(String(issue.keys[0]))}`);
  throw new AppError("VALIDATION", `${flag} ${message}`);
}
