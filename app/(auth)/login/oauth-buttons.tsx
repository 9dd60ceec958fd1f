import { signIn } from "@/lib/auth/config";

export function OAuthButtons({ providers, next }: { providers: { id: string; name: string }[]; next: string }) {
  return (
    <div className="mt-4 space-y-2 border-t border-gray-100 pt-4">
      {providers.map((p) => (
        <form
          key={p.id}
          action={async () => {
            "use server";
            await signIn(p.id, { redirectTo: next });
          }}
        >
          <button type="submit" className="w-full rounded-md border border-gray-300 px-4 py-2 text-sm hover:bg-gray-50">
            Continue with {p.name}
          </button>
        </form>
      ))}
    </div>
  );
}
