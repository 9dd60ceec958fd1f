import type { DbHandle } from "./client";

/** Background services that live in the server process (the job worker); started after migrations. */
export async function startServerServices(_handle: DbHandle): Promise<void> {}
