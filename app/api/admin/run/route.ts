// POST /api/admin/run – runs an admin CLI command inside this server, for a CLI that found the embedded database
// held by it. Authenticated by the token the server wrote to $DATA_DIR/admin.token (0600) at start.
import { getDbHandle } from "@/db/client";
import { readAdminToken } from "@/lib/server/boot";
import { runAdminCommand } from "@/lib/admin/run";
import { safeEqual } from "@/lib/crypto";
import { getEnv } from "@/lib/env";
import { AppError, isAppError, newErrorRef } from "@/lib/errors";
import { log } from "@/lib/log";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  const env = getEnv();
  const handle = await getDbHandle();
  const token = readAdminToken(env.DATA_DIR);
  const given = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
  if (handle.driver !== "pglite" || !token || !given || !safeEqual(given, token))
    return new Response("not found", { status: 404 });
  const body = (await req.json().catch(() => ({}))) as { command?: string; flags?: Record<string, string> };
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (obj: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(obj)}\n`));
      try {
        const result = await runAdminCommand({
          handle,
          command: body.command,
          flags: body.flags ?? {},
          progress: (line) => send({ progress: line }),
          appUrl: env.APP_URL,
        });
        send({ result });
      } catch (err) {
        if (isAppError(err) || err instanceof AppError) send({ error: { code: err.code, message: err.message } });
        else {
          const ref = newErrorRef();
          log.error("admin.failed", { ref, command: body.command, err });
          send({ error: { code: "INTERNAL", message: `${(err as Error).name ?? "error"} (ref ${ref})` } });
        }
      }
      controller.close();
    },
  });
  return new Response(stream, { headers: { "content-type": "application/x-ndjson", "cache-control": "no-store" } });
}
