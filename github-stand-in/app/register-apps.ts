import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { isoTime } from "../shapes/urls";
import { parsePermissions, withMetadata } from "../world/app-permissions";
import type { AppPermissions } from "../world/app-permissions";
import type { Repository, World } from "../world/world";
import type { AppCredentials, StandInAppInstallation, StandInAppOptions } from "./app-options";
import { generateAppKeySync, publicKeyOf } from "./keys";

function permissionsOf(value: Record<string, string> | undefined, where: string): AppPermissions {
  const parsed = parsePermissions(value ?? {});
  if (!parsed) throw new Error(`${where}: permissions must map names to read, write or admin`);
  return parsed;
}

/** The caller's key, the key file's, or a new one written to the key file (readable by its owner only). */
function privateKeyFor(options: StandInAppOptions): string {
  if (options.privateKey) return options.privateKey;
  const file = options.privateKeyFile;
  if (file && existsSync(file)) return readFileSync(file, "utf8");
  const generated = generateAppKeySync().privateKeyPem;
  if (file) writeFileSync(file, generated, { mode: 0o600 });
  return generated;
}

function installationRepositories(world: World, login: string, input: StandInAppInstallation): "all" | Repository[] {
  if (!input.repositories) return "all";
  return input.repositories.map((name) => {
    const repository = world.repository(login, name);
    if (!repository) throw new Error(`App installation on ${login}: unknown repository ${name}`);
    return repository;
  });
}

/**
 * Registers the Apps given at start and installs them where they say; throws on anything that does not fit the
 * world (unknown owner or account, a taken id or name), as invalid repository names do.
 */
export function registerConfiguredApps(world: World, apps: StandInAppOptions[], now: number): AppCredentials[] {
  const at = isoTime(now);
  return apps.map((options) => {
    const owner = world.account(options.owner);
    if (!owner) throw new Error(`App ${options.name}: unknown owner ${options.owner}`);
    // Everything the installations need is checked before anything is registered, so a bad entry leaves no trace.
    const planned = (options.installations ?? []).map((input) => {
      const account = world.account(input.account);
      if (!account) throw new Error(`App ${options.name}: unknown installation account ${input.account}`);
      if (input.id !== undefined && world.installations.byId(input.id)) {
        throw new Error(`App ${options.name}: installation id ${input.id} is taken`);
      }
      const granted = input.permissions ? permissionsOf(input.permissions, `App ${options.name}`) : null;
      return { input, account, granted, repositories: installationRepositories(world, account.login, input) };
    });
    const privateKey = privateKeyFor(options);
    const registered = world.apps.register({
      id: options.id,
      slug: options.slug,
      name: options.name,
      description: options.description ?? null,
      owner,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      webhookSecret: options.webhookSecret ?? null,
      webhookUrl: options.webhookUrl ?? null,
      webhookActive: Boolean(options.webhookUrl),
      url: options.url ?? "http://localhost:3000",
      callbackUrls: options.callbackUrls ?? [],
      setupUrl: options.setupUrl ?? null,
      public: options.public ?? false,
      permissions: permissionsOf(options.permissions, `App ${options.name}`),
      events: options.events ?? [],
      expiringUserTokens: options.expiringUserTokens ?? true,
      publicKey: publicKeyOf(privateKey),
      createdAt: at,
      updatedAt: at,
    });
    if (registered.kind === "rejected") throw new Error(`App ${options.name}: ${registered.reason}`);
    const { app } = registered;
    const installations = planned.map(({ input, account, granted, repositories }) => {
      const { installation } = world.installations.install({ app, account, repositories, at, id: input.id });
      if (granted) installation.permissions = withMetadata(granted);
      return { id: installation.id, account: account.login };
    });
    return {
      id: app.id,
      slug: app.slug,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      webhookSecret: app.webhookSecret,
      privateKey,
      installations,
    };
  });
}
