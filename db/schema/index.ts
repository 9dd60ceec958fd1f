export * from "./core";
export * from "./stripe";
