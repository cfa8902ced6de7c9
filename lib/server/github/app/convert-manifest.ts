import "server-only";
import { z } from "zod";
import { createAppOctokit } from "./octokit";
import { failureStatus } from "./request-failure";

// The manifest flow's third step: POST /app-manifests/{code}/conversions, unauthenticated, trades the code GitHub
// sent the browser back with for the new App's credentials (its private key leaves GitHub here and nowhere else).
// The code works once and for an hour, so the request is never retried: a retry after a lost answer could only be
// refused, and would hide why.

export interface ConvertedApp {
  id: number;
  slug: string;
  name: string;
  ownerLogin: string;
  clientId: string | null;
  clientSecret: string | null;
  webhookSecret: string | null;
  pem: string;
}

export type Conversion = { kind: "converted"; app: ConvertedApp } | { kind: "refused"; status: number };

const conversionSchema = z.object({
  id: z.number().int().positive(),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,33}$/),
  name: z.string().min(1).max(100),
  owner: z.object({ login: z.string().min(1).max(100) }),
  client_id: z.string().min(1).max(200).nullable().optional(),
  client_secret: z.string().min(1).max(500).nullable().optional(),
  webhook_secret: z.string().min(1).max(500).nullable().optional(),
  pem: z.string().min(100).max(20_000),
});

/** Throws when GitHub cannot be reached or answers something that is not an App; a refused code is a result. */
export async function convertManifestCode(code: string): Promise<Conversion> {
  const octokit = createAppOctokit({ mode: "interactive", throttleId: "manifest-conversion", auth: { kind: "none" } });
  let answer: unknown;
  try {
    const response = await octokit.request("POST /app-manifests/{code}/conversions", {
      code,
      request: { retries: 0 },
    });
    answer = response.data;
  } catch (error) {
    const status = failureStatus(error);
    // 404: no such code (used, expired, never issued); 422: GitHub refused it.
    if (status === 404 || status === 422) return { kind: "refused", status };
    throw error;
  }
  const parsed = conversionSchema.safeParse(answer);
  if (!parsed.success) throw new Error("GitHub answered the manifest conversion with something that is not an App");
  const app = parsed.data;
  return {
    kind: "converted",
    app: {
      id: app.id,
      slug: app.slug,
      name: app.name,
      ownerLogin: app.owner.login,
      clientId: app.client_id ?? null,
      clientSecret: app.client_secret ?? null,
      webhookSecret: app.webhook_secret ?? null,
      pem: app.pem,
    },
  };
}
