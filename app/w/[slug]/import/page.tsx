import { getDb } from "@/db/client";
import { listImportJobs } from "@/db/queries/ingest-imports";
import { requireAccess } from "@/lib/auth/access";
import { INGEST_FIELDS } from "@/lib/ingest/fields";
import { MAX_IMPORT_UPLOAD_BYTES, toImportJobBody } from "@/lib/ingest/import-upload";
import { INGEST_EVENT_TYPES } from "@/lib/ingest/schemas";
import { ImportForm, type TypeFields } from "./import-form";
import { SAMPLE_ROWS, SYNC_IMPORT_MAX_BYTES } from "./schemas";

export const metadata = { title: "Import" };

export default async function ImportPage({ params }: PageProps<"/w/[slug]/import">) {
  const { workspace } = await requireAccess((await params).slug, "imports.write");
  const jobs = (await listImportJobs(workspace.id, await getDb())).map(toImportJobBody);
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
          Files up to {SYNC_IMPORT_MAX_BYTES / 1000} KB are imported at once; bigger ones, up to{" "}
          {MAX_IMPORT_UPLOAD_BYTES / 1024 / 1024} MB, are checked on their first {SAMPLE_ROWS.toLocaleString("en-US")}{" "}
          rows here, then checked in full and imported in the background. The command line takes any size:{" "}
          <code className="rounded bg-gray-100 px-1">
            npm run admin -- import --workspace {workspace.slug} --type &lt;type&gt; --file &lt;path&gt;
          </code>
          .
        </p>
      </div>
      <ImportForm
        slug={workspace.slug}
        types={[...INGEST_EVENT_TYPES]}
        fields={fields}
        syncMaxBytes={SYNC_IMPORT_MAX_BYTES}
        uploadMaxBytes={MAX_IMPORT_UPLOAD_BYTES}
        sampleRows={SAMPLE_ROWS}
        jobs={jobs}
      />
    </div>
  );
}
