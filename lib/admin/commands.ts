import { loadFxRatesCommand } from "./fx-command";
import { generateCommand } from "./generate-command";
import { importCommand } from "./import-command";
import type { AdminCommand } from "./registry";
import { backfillCommand, connectStripeCommand, rebuildCommand } from "./stripe-commands";
import { addMemberCommand, createApiKeyCommand, createWorkspaceCommand } from "./workspace-commands";

/** Every `npm run admin -- <command>`; the CLI and the server's admin route run the same code. */
export const adminCommands: Record<string, AdminCommand> = {
  "create-workspace": createWorkspaceCommand as AdminCommand,
  "add-member": addMemberCommand as AdminCommand,
  "create-api-key": createApiKeyCommand as AdminCommand,
  "connect-stripe": connectStripeCommand as AdminCommand,
  backfill: backfillCommand as AdminCommand,
  rebuild: rebuildCommand as AdminCommand,
  import: importCommand as AdminCommand,
  generate: generateCommand as AdminCommand,
  "load-fx-rates": loadFxRatesCommand as AdminCommand,
};
