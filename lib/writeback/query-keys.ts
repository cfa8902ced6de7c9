/** What the GitHub write-back settings page caches: the queue's overview. */
export const writebackKeys = {
  all: ["writeback"] as const,
  overview: () => [...writebackKeys.all, "overview"] as const,
};
