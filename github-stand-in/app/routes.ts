import type { Route } from "../rest/routes";
import { ANY_CALLER, APP_USER_CALLERS, INSTALLATION_CALLERS, JWT_CALLERS } from "../rest/callers";
import { createInstallationToken } from "./access-tokens";
import {
  getAppInstallation,
  getAuthenticatedApp,
  getOrganizationInstallation,
  getRepositoryInstallation,
  getUserInstallation,
  listAppInstallations,
} from "./app-endpoints";
import { getDelivery, listDeliveries, redeliver } from "../webhooks/deliveries-endpoints";
import { convertManifest } from "./conversion";
import {
  listInstallationRepositories,
  listUserInstallationRepositories,
  listUserInstallations,
} from "./installation-repositories";

/** The GitHub App routes: as the App (JWT), as an installation, as an App's user, and the manifest conversion. */
export const APP_ROUTES: Route[] = [
  { method: "GET", path: "/app", scopes: [], callers: JWT_CALLERS, handle: getAuthenticatedApp },
  { method: "GET", path: "/app/installations", scopes: [], callers: JWT_CALLERS, handle: listAppInstallations },
  {
    method: "GET",
    path: "/app/installations/{installation_id}",
    scopes: [],
    callers: JWT_CALLERS,
    handle: getAppInstallation,
  },
  {
    method: "POST",
    path: "/app/installations/{installation_id}/access_tokens",
    scopes: [],
    callers: JWT_CALLERS,
    handle: createInstallationToken,
  },
  { method: "GET", path: "/app/hook/deliveries", scopes: [], callers: JWT_CALLERS, handle: listDeliveries },
  {
    method: "GET",
    path: "/app/hook/deliveries/{delivery_id}",
    scopes: [],
    callers: JWT_CALLERS,
    handle: getDelivery,
  },
  {
    method: "POST",
    path: "/app/hook/deliveries/{delivery_id}/attempts",
    scopes: [],
    callers: JWT_CALLERS,
    handle: redeliver,
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/installation",
    scopes: [],
    callers: JWT_CALLERS,
    handle: getRepositoryInstallation,
  },
  {
    method: "GET",
    path: "/orgs/{org}/installation",
    scopes: [],
    callers: JWT_CALLERS,
    handle: getOrganizationInstallation,
  },
  {
    method: "GET",
    path: "/users/{username}/installation",
    scopes: [],
    callers: JWT_CALLERS,
    handle: getUserInstallation,
  },
  {
    method: "GET",
    path: "/installation/repositories",
    scopes: [],
    callers: INSTALLATION_CALLERS,
    handle: listInstallationRepositories,
  },
  { method: "GET", path: "/user/installations", scopes: [], callers: APP_USER_CALLERS, handle: listUserInstallations },
  {
    method: "GET",
    path: "/user/installations/{installation_id}/repositories",
    scopes: [],
    callers: APP_USER_CALLERS,
    handle: listUserInstallationRepositories,
  },
  {
    method: "POST",
    path: "/app-manifests/{code}/conversions",
    scopes: [],
    callers: ANY_CALLER,
    handle: convertManifest,
  },
];
