export function SignOutButton({ action }: { action: () => Promise<void> }) {
  return (
    <form action={action}>
      <button
        type="submit"
        className="rounded-md px-2 py-1 text-sm text-gray-600 hover:bg-gray-100"
        data-testid="sign-out"
      >
        Sign out
      </button>
    </form>
  );
}
