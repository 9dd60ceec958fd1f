import { requireAccess } from "@/lib/auth/access";
import { INGEST_FIELDS } from "@/lib/ingest/fields";
import { INGEST_EVENT_TYPES } from "@/lib/ingest/schemas";
import { ImportForm, type TypeFields } from "./import-form";
import { MAX_UI_CSV_BYTES } from "./schemas";

export const metadata = { title: "Import" };

export default async function ImportPage({ params }: PageProps<"/w/[slug]/import">) {
  const { workspace } = await requireAccess((await params).slug, "imports.write");
  const fields: TypeFields = Object.fromEntries(
    INGEST_EVENT_TYPES.map((type) => [
      type,
      INGEST_FIELDS[type].map((f) => ({ name: f.name, required: f.required && f.name !== "id" })),
    ]),
  );
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Import events</h1>
        <p className="mt-1 text-sm text-gray-600">
          Upload a CSV of one event type: one row per event, a header naming the fields. Every row is checked before
          anything is written, and the import stores all rows or none. Rows whose id is already stored are skipped.
          Files up to {MAX_UI_CSV_BYTES / 1000} KB; for bigger ones use{" "}
          <code className="rounded bg-gray-100 px-1">
            npm run admin -- import --workspace {workspace.slug} --type &lt;type&gt; --file &lt;path&gt;
          </code>
          .
        </p>
      </div>
      <ImportForm slug={workspace.slug} types={[...INGEST_EVENT_TYPES]} fields={fields} maxBytes={MAX_UI_CSV_BYTES} />
    </div>
  );
}
