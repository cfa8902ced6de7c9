import { isPermissionLevel } from "../world/app-permissions";
import type { PermissionLevel } from "../world/app-permissions";
import type { StandInAppInstallation, StandInAppOptions } from "./app-options";

type Parsed<T> = { kind: "ok"; value: T } | { kind: "invalid"; reason: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function strings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function levels(value: unknown): value is Record<string, PermissionLevel> {
  return isObject(value) && Object.values(value).every(isPermissionLevel);
}

const OPTIONAL_STRINGS = ["slug", "description", "url", "clientId", "clientSecret", "privateKey", "privateKeyFile"];
const NULLABLE_STRINGS = ["webhookSecret", "webhookUrl", "setupUrl"];

function installationFrom(value: unknown): StandInAppInstallation | null {
  if (!isObject(value) || typeof value.account !== "string") return null;
  if (value.repositories !== undefined && !strings(value.repositories)) return null;
  if (value.permissions !== undefined && !levels(value.permissions)) return null;
  if (value.id !== undefined && !Number.isSafeInteger(value.id)) return null;
  return {
    account: value.account,
    repositories: value.repositories,
    permissions: value.permissions,
    id: value.id as number | undefined,
  };
}

/**
 * An App described in JSON (a `--app-from` file, or the control plane's POST /_stand-in/apps), checked field by
 * field; names are those of StandInAppOptions.
 */
export function parseAppOptions(value: unknown): Parsed<StandInAppOptions> {
  if (!isObject(value)) return { kind: "invalid", reason: "an App must be a JSON object" };
  if (typeof value.name !== "string" || typeof value.owner !== "string") {
    return { kind: "invalid", reason: "an App needs a name and an owner" };
  }
  for (const field of OPTIONAL_STRINGS) {
    if (value[field] !== undefined && typeof value[field] !== "string") {
      return { kind: "invalid", reason: `${field} must be a string` };
    }
  }
  for (const field of NULLABLE_STRINGS) {
    if (value[field] !== undefined && value[field] !== null && typeof value[field] !== "string") {
      return { kind: "invalid", reason: `${field} must be a string or null` };
    }
  }
  if (value.id !== undefined && !Number.isSafeInteger(value.id)) return { kind: "invalid", reason: "id: an integer" };
  if (value.callbackUrls !== undefined && !strings(value.callbackUrls)) {
    return { kind: "invalid", reason: "callbackUrls must be a list of URLs" };
  }
  if (value.events !== undefined && !strings(value.events)) return { kind: "invalid", reason: "events: a list" };
  if (value.permissions !== undefined && !levels(value.permissions)) {
    return { kind: "invalid", reason: "permissions must map names to read, write or admin" };
  }
  for (const flag of ["public", "expiringUserTokens"]) {
    if (value[flag] !== undefined && typeof value[flag] !== "boolean") {
      return { kind: "invalid", reason: `${flag} must be true or false` };
    }
  }
  const installations = value.installations === undefined ? [] : value.installations;
  if (!Array.isArray(installations)) return { kind: "invalid", reason: "installations must be a list" };
  const parsedInstallations = installations.map(installationFrom);
  if (parsedInstallations.some((i) => i === null)) {
    return { kind: "invalid", reason: "each installation needs an account (and optional repositories, permissions)" };
  }
  return {
    kind: "ok",
    value: {
      ...(value as unknown as StandInAppOptions),
      installations: parsedInstallations.filter((i): i is StandInAppInstallation => i !== null),
    },
  };
}
