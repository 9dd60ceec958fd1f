import type { DbHandle } from "@/db/client";
import { AppError } from "@/lib/errors";
import { adminCommands } from "./commands";
import { parseFlags, type Progress } from "./registry";

/** Looks up a command and validates its flags before anything opens or writes. */
export function prepareCommand(command: string | undefined, flags: Record<string, string>) {
  if (!command) throw new AppError("VALIDATION", `missing command; one of: ${Object.keys(adminCommands).join(", ")}`);
  const cmd = adminCommands[command];
  if (!cmd)
    throw new AppError("VALIDATION", `unknown command "${command}"; one of: ${Object.keys(adminCommands).join(", ")}`);
  return { cmd, parsed: parseFlags(cmd.flags, flags) };
}

export async function runAdminCommand(args: {
  handle: DbHandle;
  command: string | undefined;
  flags: Record<string, string>;
  progress: Progress;
  appUrl: string;
}): Promise<unknown> {
  const { cmd, parsed } = prepareCommand(args.command, args.flags);
  return cmd.run({ handle: args.handle, flags: parsed, progress: args.progress, appUrl: args.appUrl });
}
