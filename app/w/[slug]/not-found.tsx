export default function WorkspaceNotFound() {
  return (
    <div className="p-10 text-center" data-testid="not-found">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="text-sm text-gray-600">There is nothing here, or you are not a member of this workspace.</p>
    </div>
  );
}
