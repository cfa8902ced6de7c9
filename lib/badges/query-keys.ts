/** What the badge section of a repository's settings caches. */
export const badgeKeys = {
  all: ["badges"] as const,
  key: (fullName: string) => [...badgeKeys.all, "key", fullName.toLowerCase()] as const,
};
