import Link from "next/link";

// For addresses no route matches. Next's built-in page styles itself with an inline <style> element,
// which the Content-Security-Policy (proxy.ts) refuses; this one uses the app's stylesheet.
export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-3 p-6 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">There is no page at this address.</p>
      <Link href="/" className="text-sm text-sky-700 hover:underline dark:text-sky-400">
        Back to repositories
      </Link>
    </main>
  );
}
