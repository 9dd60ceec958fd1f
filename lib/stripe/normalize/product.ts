import { z } from "zod";
import type { ProductRecord } from "../types";
import { loose, parseWith, toInstantOrNull } from "./common";

const schema = loose({
  object: z.literal("product"),
  id: z.string(),
  name: z.string().nullable().optional(),
  active: z.boolean().optional(),
  created: z.number().int().optional(),
  deleted: z.boolean().optional(),
});

export const normalizeProduct = (input: unknown) =>
  parseWith(schema, input, (p): ProductRecord => ({
    id: p.id,
    name: p.name ?? null,
    active: p.active ?? !p.deleted,
    created: toInstantOrNull(p.created),
    deleted: p.deleted === true,
  }));
