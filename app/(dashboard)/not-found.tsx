import Link from "next/link";

export default function NotFound() {
  return (
    <div className="rounded-lg border border-dashed border-zinc-300 px-6 py-10 text-center dark:border-zinc-700">
      <h1 className="font-semibold">Not found</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        It does not exist, or your GitHub access does not include it.
      </p>
      <Link href="/" className="mt-3 inline-block text-sm text-sky-700 hover:underline dark:text-sky-400">
        Back to repositories
      </Link>
    </div>
  );
}
