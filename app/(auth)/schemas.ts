import { z } from "zod";
import { emailSchema, passwordSchema, slugSchema } from "@/lib/workspaces/schemas";

export const firstRunSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  workspaceName: z.string().trim().min(1, "Enter a name.").max(100),
  slug: slugSchema,
});
