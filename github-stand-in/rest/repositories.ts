import { paginate } from "../http/pagination";
import { fullRepository, repository } from "../shapes/repository";
import { apiUrl } from "../shapes/urls";
import { simpleUser } from "../shapes/user";
import { legacyPermission, permissionFlags, roleAtLeast } from "../world/permissions";
import { key } from "../world/names";
import type { Repository, UserRecord } from "../world/world";
import { repositoryAccess, visibleRepositories } from "./access";
import type { RestContext } from "./context";
import { fail, notFound, reply, validationFailed } from "./context";

const LIST_DOCS = "https://docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user";
const GET_DOCS = "https://docs.github.com/rest/repos/repos#get-a-repository";
const REDIRECT_DOCS =
  "https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#follow-redirects";
const PERMISSION_DOCS =
  "https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user";

/** What a GitHub App needs to read a repository and its collaborators (inferred; FACTS names metadata). */
const METADATA = { permission: "metadata", level: "read" } as const;

type Affiliation = "owner" | "collaborator" | "organization_member";

/** How the viewer reaches a repository, in GitHub's affiliation terms. */
function affiliationOf(viewer: UserRecord, repo: Repository): Affiliation {
  if (key(repo.owner) === key(viewer.login)) return "owner";
  return viewer.repositoryGrants.has(key(repo.fullName)) ? "collaborator" : "organization_member";
}

function allowedAffiliations(ctx: RestContext): Set<Affiliation> | "invalid" {
  const type = ctx.url.searchParams.get("type");
  const affiliation = ctx.url.searchParams.get("affiliation");
  const visibility = ctx.url.searchParams.get("visibility");
  if (type !== null && (affiliation !== null || visibility !== null)) return "invalid";
  if (visibility === "public") return new Set();
  if (type === "public") return new Set();
  if (type === "owner") return new Set(["owner"]);
  if (type === "member") return new Set(["collaborator", "organization_member"]);
  if (affiliation === null) return new Set(["owner", "collaborator", "organization_member"]);
  const wanted = affiliation.split(",").map((a) => a.trim());
  return new Set(wanted.filter((a): a is Affiliation => ["owner", "collaborator", "organization_member"].includes(a)));
}

// GET /user/repos – repositories the viewer can reach, each with the viewer's permissions
export function listUserRepositories(ctx: RestContext): void {
  const viewer = ctx.viewer;
  if (!viewer || !ctx.token) return fail(ctx, 401, "Requires authentication", LIST_DOCS);
  const affiliations = allowedAffiliations(ctx);
  if (affiliations === "invalid") {
    return validationFailed(
      ctx,
      [
        {
          resource: "Repository",
          field: "type",
          code: "invalid",
          message: "If you specify visibility or affiliation, you cannot specify type.",
        },
      ],
      LIST_DOCS,
    );
  }
  // Every stand-in repository is private, so a token without `repo` sees none of them; a GitHub App's user token
  // sees those the App is installed on.
  const entries = visibleRepositories(ctx.state.world, ctx.caller).filter((e) =>
    affiliations.has(affiliationOf(viewer, e.repository)),
  );
  const sort = ctx.url.searchParams.get("sort") ?? "full_name";
  const direction = ctx.url.searchParams.get("direction") ?? (sort === "full_name" ? "asc" : "desc");
  // created/updated/pushed are identical in this world, so they fall back to creation order (id).
  if (sort !== "full_name") entries.sort((a, b) => a.repository.id - b.repository.id);
  if (direction === "desc") entries.reverse();
  const withDownloads = ctx.apiVersion !== "2026-03-10";
  const items = entries.flatMap(({ repository: repo, role }) => {
    const owner = ctx.state.world.account(repo.owner);
    return owner ? [repository(repo, owner, ctx.base, { permissions: permissionFlags(role), withDownloads })] : [];
  });
  const page = paginate(items, ctx.url, ctx.base);
  reply(ctx, 200, page.items, page.link ? { link: page.link } : {});
}

// GET /repos/{owner}/{repo} – 404 unless the viewer can read it; the old name of a renamed or transferred
// repository answers 301 to /repositories/{id}, to those who can read it (anyone else gets the 404 of a private one)
export function getRepository(ctx: RestContext): void {
  const { owner = "", repo = "" } = ctx.params;
  const moved = ctx.state.world.repository(owner, repo) ? undefined : ctx.state.world.redirectOf(owner, repo);
  if (moved) {
    const access = repositoryAccess(
      ctx,
      { minimum: "read", scopes: ["repo"], docs: GET_DOCS, permission: METADATA },
      moved,
    );
    if (!access) return;
    const location = apiUrl(ctx.base, `/repositories/${moved.id}`);
    return fail(ctx, 301, "Moved Permanently", REDIRECT_DOCS, { url: location }, { location });
  }
  replyRepository(
    ctx,
    repositoryAccess(ctx, { minimum: "read", scopes: ["repo"], docs: GET_DOCS, permission: METADATA }),
  );
}

// GET /repositories/{repository_id} – where GitHub's redirects lead: the repository by id, under the same rules
export function getRepositoryById(ctx: RestContext): void {
  const id = /^[1-9]\d{0,15}$/.test(ctx.params.repository_id ?? "") ? Number(ctx.params.repository_id) : NaN;
  const repository = Number.isSafeInteger(id) ? ctx.state.world.repositoryById(id) : undefined;
  replyRepository(
    ctx,
    repositoryAccess(ctx, { minimum: "read", scopes: ["repo"], docs: GET_DOCS, permission: METADATA }, repository),
  );
}

function replyRepository(ctx: RestContext, access: ReturnType<typeof repositoryAccess>): void {
  if (!access) return;
  reply(
    ctx,
    200,
    fullRepository(access.repository, access.owner, ctx.base, {
      permissions: permissionFlags(access.role),
      withDownloads: ctx.apiVersion !== "2026-03-10",
    }),
  );
}

// GET /repos/{owner}/{repo}/collaborators/{username}/permission – callers need push access (403 otherwise)
export function getCollaboratorPermission(ctx: RestContext): void {
  const access = repositoryAccess(ctx, {
    minimum: "read",
    scopes: ["repo"],
    docs: PERMISSION_DOCS,
    permission: METADATA,
  });
  if (!access) return;
  // An installation reads collaborators with metadata; a person needs push access.
  if (ctx.caller.kind !== "installation" && !roleAtLeast(access.role, "write")) {
    return fail(ctx, 403, "Must have push access to view collaborator permission.", PERMISSION_DOCS);
  }
  const user = ctx.state.world.user(ctx.params.username ?? "");
  if (!user) return notFound(ctx, PERMISSION_DOCS);
  // role_name is the real role (maintain, triage…); permission is the legacy base role GitHub derives from it.
  const role = ctx.state.world.roleOf(user, access.repository);
  reply(ctx, 200, {
    permission: legacyPermission(role),
    role_name: role,
    user: {
      ...simpleUser(user, ctx.base),
      name: user.name,
      email: user.email,
      permissions: permissionFlags(role),
      role_name: role,
    },
  });
}
