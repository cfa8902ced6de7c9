// What a delivery's row records beside its payload, so the processing loop and the administrators' page can select
// deliveries without reading payloads (pure). Every field is untrusted: each is taken only when it has GitHub's shape.

import { field } from "./payload-field";

export type DeliveryFacts = { action: string | null; installationId: bigint | null; repository: string | null };

const FULL_NAME = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;

export function deliveryFacts(payload: object): DeliveryFacts {
  const action = field(payload, "action");
  const installation = field(field(payload, "installation"), "id");
  const fullName = field(field(payload, "repository"), "full_name");
  return {
    action: typeof action === "string" && action.length <= 64 ? action : null,
    installationId:
      Number.isSafeInteger(installation) && (installation as number) > 0 ? BigInt(installation as number) : null,
    repository: typeof fullName === "string" && FULL_NAME.test(fullName) ? fullName.toLowerCase() : null,
  };
}
