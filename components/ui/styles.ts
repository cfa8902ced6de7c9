// Shared class lists, so every control looks and focuses the same way.
export const FOCUS = "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600";
export const CARD = "rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900";
export const INPUT = `rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900 ${FOCUS}`;
export const BUTTON = `rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300 ${FOCUS}`;
export const LINK = "text-sky-700 underline-offset-2 hover:underline dark:text-sky-400";
export const MUTED = "text-zinc-600 dark:text-zinc-400";
