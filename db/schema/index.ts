export * from "./core";
export * from "./stripe";
export * from "./metrics";
export * from "./ingest";
