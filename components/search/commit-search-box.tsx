import { FOCUS } from "@/components/ui/styles";

/**
 * "Where is my commit?" in the header: a plain GET form to /search, so it works before (and without) any
 * script and adds nothing to a page's JavaScript.
 */
export function CommitSearchBox({
  defaultValue = "",
  id = "commit-search",
}: Readonly<{
  defaultValue?: string;
  /** Unique on the page: the header has one, the search page another. */ id?: string;
}>) {
  return (
    <form method="get" action="/search" role="search" aria-label="Find a commit" className="min-w-0">
      <label htmlFor={id} className="sr-only">
        Commit SHA or pull request
      </label>
      <input
        id={id}
        type="search"
        name="q"
        defaultValue={defaultValue}
        placeholder="Find a commit: SHA or #PR"
        maxLength={200}
        autoComplete="off"
        spellCheck={false}
        className={`w-44 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm placeholder:text-zinc-500 sm:w-56 dark:border-zinc-700 dark:bg-zinc-900 dark:placeholder:text-zinc-400 ${FOCUS}`}
      />
    </form>
  );
}
