import type { KeyObject } from "node:crypto";
import { randomBytes } from "node:crypto";
import type { AppPermissions } from "./app-permissions";
import { withMetadata } from "./app-permissions";
import { key } from "./names";
import type { Account } from "./world";

/** A registered GitHub App. Field names match what check runs embed about their App, so a record can stand in. */
export interface AppRecord {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  owner: Account;
  /** `<slug>[bot]`: the account GitHub shows as the author of what an installation token writes. */
  bot: Account;
  clientId: string;
  clientSecret: string;
  webhookSecret: string | null;
  webhookUrl: string | null;
  webhookActive: boolean;
  /** The homepage (`external_url`). */
  url: string;
  /** Where the user-authorization flow may send the browser back; empty accepts any loopback URL (a local demo). */
  callbackUrls: string[];
  setupUrl: string | null;
  public: boolean;
  /** What the App asks for; each installation holds what its account granted, which may lag behind. */
  permissions: AppPermissions;
  events: string[];
  /** GitHub's default for new Apps: user tokens expire after 8 hours and come with a refresh token. */
  expiringUserTokens: boolean;
  /** The stand-in keeps only the public half; the private key is handed out once and never stored. */
  publicKey: KeyObject;
  createdAt: string;
  updatedAt: string;
}

export type NewApp = Omit<AppRecord, "id" | "slug" | "bot" | "clientId" | "clientSecret" | "permissions"> & {
  id?: number;
  slug?: string;
  clientId?: string;
  clientSecret?: string;
  permissions: AppPermissions;
};

export type AppRegistration = { kind: "registered"; app: AppRecord } | { kind: "rejected"; reason: string };

/** A manifest registration waiting for its one conversion (GitHub: within the hour, once). */
interface PendingConversion {
  appId: number;
  privateKeyPem: string;
  expiresAt: number;
}

const FIRST_APP_ID = 310001;
// GitHub's bot accounts have user ids of their own; these sit far from every other id of the world.
const BOT_ID_OFFSET = 41_000_000;
export const CONVERSION_LIFETIME_MS = 60 * 60 * 1000;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function base62(length: number): string {
  let text = "";
  for (const byte of randomBytes(length)) text += BASE62[byte % BASE62.length];
  return text;
}

/** GitHub's slug: the name lower-cased, every run of other characters one hyphen. */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 34)
    .replace(/^-+|-+$/g, "");
}

/** Apps by id, slug and client id, and the manifest codes that hand out a new App's credentials. */
export class AppStore {
  private readonly apps = new Map<number, AppRecord>();
  private readonly conversions = new Map<string, PendingConversion>();
  private nextId = FIRST_APP_ID;

  register(input: NewApp): AppRegistration {
    const slug = input.slug ?? slugOf(input.name);
    const id = input.id ?? this.nextId;
    if (input.name.trim() === "" || slug === "") return { kind: "rejected", reason: "Name can't be blank" };
    if (!Number.isSafeInteger(id) || id < 1) return { kind: "rejected", reason: "id must be a positive integer" };
    if (this.apps.has(id)) return { kind: "rejected", reason: `an App with id ${id} exists` };
    if (this.bySlug(slug)) return { kind: "rejected", reason: "Name is already in use" };
    const clientId = input.clientId ?? `Iv23li${base62(14)}`;
    if (this.byClientId(clientId)) return { kind: "rejected", reason: "that client id is taken" };
    const app: AppRecord = {
      ...input,
      id,
      slug,
      bot: { id: BOT_ID_OFFSET + id, login: `${slug}[bot]`, name: null, email: null, type: "Bot" },
      clientId,
      clientSecret: input.clientSecret ?? randomBytes(20).toString("hex"),
      permissions: withMetadata(input.permissions),
    };
    this.apps.set(id, app);
    this.nextId = Math.max(this.nextId, id + 1);
    return { kind: "registered", app };
  }

  list(): AppRecord[] {
    return [...this.apps.values()].sort((a, b) => a.id - b.id);
  }

  byId(id: number): AppRecord | undefined {
    return this.apps.get(id);
  }

  bySlug(slug: string): AppRecord | undefined {
    return this.list().find((app) => key(app.slug) === key(slug));
  }

  byClientId(clientId: string): AppRecord | undefined {
    return this.list().find((app) => app.clientId === clientId);
  }

  /** A JWT's `iss`: the App id (a number, or its digits as a string) or, as GitHub now also accepts, the client id. */
  byIssuer(iss: unknown): AppRecord | undefined {
    if (typeof iss === "number") return Number.isSafeInteger(iss) ? this.apps.get(iss) : undefined;
    if (typeof iss !== "string" || iss === "") return undefined;
    return /^\d{1,15}$/.test(iss) ? this.apps.get(Number(iss)) : this.byClientId(iss);
  }

  /** Keeps a new App's private key for its one manifest conversion; returns the code the browser carries back. */
  holdForConversion(app: AppRecord, privateKeyPem: string, now: number): string {
    for (const [code, pending] of this.conversions) if (pending.expiresAt <= now) this.conversions.delete(code);
    const code = randomBytes(20).toString("hex");
    this.conversions.set(code, { appId: app.id, privateKeyPem, expiresAt: now + CONVERSION_LIFETIME_MS });
    return code;
  }

  /** Single-use: the code is gone whatever happens, so the private key leaves the stand-in at most once. */
  convert(code: string, now: number): { app: AppRecord; privateKeyPem: string } | null {
    const pending = this.conversions.get(code);
    if (!pending) return null;
    this.conversions.delete(code);
    const app = this.apps.get(pending.appId);
    return app && pending.expiresAt > now ? { app, privateKeyPem: pending.privateKeyPem } : null;
  }
}
