import type { HandlerContext, HandlerResult } from "./handlers/context";
import { findHandler } from "./handlers";

/** Applies one stored event to the projection. Types we don't use are `ignored`; thrown errors roll back. */
export async function applyStripeEvent(args: HandlerContext): Promise<HandlerResult> {
  const handler = findHandler(args.event.type);
  if (!handler) return { outcome: "ignored", customerIds: [] };
  return handler(args);
}
