/** What a repository settings page's write-back section caches. */
export const writebackSettingsKeys = {
  all: ["writeback-settings"] as const,
  detail: (fullName: string) => [...writebackSettingsKeys.all, fullName.toLowerCase()] as const,
};
