/** What the notifications settings page caches: one repository's webhooks with their recent deliveries. */
export const notifyKeys = {
  all: ["notify"] as const,
  webhooks: (fullName: string) => [...notifyKeys.all, "webhooks", fullName.toLowerCase()] as const,
};
