import type { RestContext } from "../rest/context";
import { notFound, reply } from "../rest/context";
import { integration } from "./shapes";

const DOCS = "https://docs.github.com/rest/apps/apps#create-a-github-app-from-a-manifest";

// POST /app-manifests/{code}/conversions – no authentication: the code from the manifest flow's redirect, once and
// within the hour, buys the new App's credentials (the private key leaves the stand-in here and nowhere else)
export function convertManifest(ctx: RestContext): void {
  const converted = ctx.state.world.apps.convert(ctx.params.code ?? "", ctx.state.now());
  if (!converted) return notFound(ctx, DOCS);
  const { app, privateKeyPem } = converted;
  reply(ctx, 201, {
    ...integration(app, ctx.base),
    client_id: app.clientId,
    client_secret: app.clientSecret,
    webhook_secret: app.webhookSecret,
    pem: privateKeyPem,
  });
}
