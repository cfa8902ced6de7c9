import type { ChangeScope } from "./schemas";

export const changeKeys = {
  all: ["changes"] as const,
  detail: (scope: ChangeScope) => [...changeKeys.all, scope.pipeline ?? null, scope.repository ?? null] as const,
};
