// finance-page: server render time of /w/<slug>/finance on a 10,000-customer workspace, signed in over HTTP.
import { parseFinanceParams } from "@/lib/kpi/dashboard-params";
import { loadFinanceDashboard } from "@/lib/kpi/dashboard";
import { listFilterOptions } from "@/db/queries/dashboard";
import { BENCH_EMAIL, BENCH_PASSWORD, requireHandle, skipped, type BenchContext } from "../lib/context";
import { countingDb, newCounter } from "../lib/db";
import { progress, round, summarize } from "../lib/util";
import { seedReplicated, type Seeded } from "./read";

const CUSTOMERS = 10_000;
const WARMUP = 2;
const ITERATIONS = 10;
const BUDGET_MS = 180_000;
const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

let seeded: Seeded | null = null;

export async function prepareFinance(ctx: BenchContext): Promise<void> {
  seeded = await seedReplicated(ctx, "bench-finance", CUSTOMERS);
  // In-process: what the page's data loading costs without React and HTTP, unfiltered and filtered by a plan.
  const handle = requireHandle(ctx);
  const counter = newCounter();
  const db = countingDb(handle, counter);
  const ws = seeded.workspace;
  const view = parseFinanceParams({}, ws.timezone);
  const plan = (await listFilterOptions(ws.id, db)).plans[0]?.id ?? "";
  const planView = parseFinanceParams({ plan }, ws.timezone);
  const dash: number[] = [];
  const filtered: number[] = [];
  let statements = 0;
  let filteredStatements = 0;
  const started = performance.now();
  for (let i = 0; i < 6 && performance.now() - started < BUDGET_MS; i++) {
    let s0 = counter.statements;
    let a = performance.now();
    await loadFinanceDashboard(ws, db, view);
    if (i > 0) dash.push(performance.now() - a);
    statements = counter.statements - s0;
    s0 = counter.statements;
    a = performance.now();
    await loadFinanceDashboard(ws, db, planView);
    if (i > 0) filtered.push(performance.now() - a);
    filteredStatements = counter.statements - s0;
    progress(`finance-page in-process: ${i + 1}/6`);
  }
  const d = summarize(dash);
  const f = summarize(filtered);
  ctx.rows.push({
    name: "finance-page (in-process)",
    n: dash.length,
    p50: round(d.p50),
    p95: round(d.p95),
    p99: round(d.p99),
    throughput: null,
    notes: `loadFinanceDashboard (the page's data, no React/HTTP), default view, ${statements} statements; filtered by one plan p50 ${round(f.p50, 0)} ms, ${filteredStatements} statements; ${seeded.customers.toLocaleString("en-US")} customers, derived tables seeded directly`,
    extra: {
      filtered: { p50: round(f.p50), p95: round(f.p95), statements: filteredStatements, plan },
      statements,
      view,
    },
  });
}

class Jar {
  private cookies = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, i).trim(), pair!.slice(i + 1));
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  has(prefix: string) {
    return [...this.cookies.keys()].some((k) => k.includes(prefix));
  }
}

async function signIn(base: string): Promise<Jar> {
  const jar = new Jar();
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  jar.take(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({
      csrfToken,
      email: BENCH_EMAIL,
      password: BENCH_PASSWORD,
      callbackUrl: `${base}/`,
    }).toString(),
  });
  jar.take(res);
  await res.arrayBuffer();
  if (!jar.has("session-token"))
    throw new Error(`sign-in failed: HTTP ${res.status}, location ${res.headers.get("location")}`);
  return jar;
}

export async function httpFinance(ctx: BenchContext): Promise<void> {
  if (!seeded) return;
  if (!ctx.server) return void ctx.rows.push(skipped("finance-page", "no production server (see above)"));
  const base = ctx.server.url;
  const jar = await signIn(base);
  const url = `${base}/w/${seeded.workspace.slug}/finance`;
  const total: number[] = [];
  const ttfb: number[] = [];
  let bytes = 0;
  const started = performance.now();
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    if (performance.now() - started > BUDGET_MS && total.length > 0) break;
    const a = performance.now();
    const res = await fetch(url, {
      headers: { cookie: jar.header(), "user-agent": BROWSER_UA, accept: "text/html" },
      redirect: "manual",
      signal: AbortSignal.timeout(120_000),
    });
    // Chunk by chunk: the first chunk is the shell (with the Suspense fallback), the end is the rendered body.
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let html = "";
    let first = -1;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (first < 0) first = performance.now() - a;
      html += decoder.decode(value, { stream: true });
    }
    const all = performance.now() - a;
    if (res.status === 404)
      return void ctx.rows.push(skipped("finance-page", `GET /w/<slug>/finance answered 404 (page not built yet?)`));
    if (res.status !== 200)
      throw new Error(`finance page: HTTP ${res.status} ${res.headers.get("location") ?? ""} ${html.slice(0, 200)}`);
    if (!html.includes("finance-title")) throw new Error("finance page: 200 but no finance-title in the HTML");
    bytes = html.length;
    if (i >= WARMUP) {
      total.push(all);
      ttfb.push(first);
    }
    progress(`finance-page: ${i + 1}/${WARMUP + ITERATIONS} (${Math.round(all)} ms)`);
  }
  const s = summarize(total);
  const t = summarize(ttfb);
  ctx.rows.push({
    name: "finance-page",
    n: total.length,
    p50: round(s.p50),
    p95: round(s.p95),
    p99: round(s.p99),
    throughput: null,
    notes: `GET /w/<slug>/finance (default view), full streamed HTML (${Math.round(bytes / 1024)} KiB) incl. Suspense body; first HTML chunk after p50 ${round(t.p50, 0)} ms; ${seeded.customers.toLocaleString("en-US")} customers, derived tables seeded directly`,
    extra: { ttfb: { p50: round(t.p50), p95: round(t.p95) }, bytes, counts: seeded.counts },
  });
}
