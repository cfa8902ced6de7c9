// GET /api/me – who is signed in and how many repositories they can see (no tokens, ever)
import { withUser } from "@/lib/server/api/with-user";

export const GET = withUser({}, ({ viewer }) =>
  Response.json({
    data: {
      login: viewer.login,
      name: viewer.name,
      isAdmin: viewer.isAdmin,
      repositories: viewer.repositories.size,
      accessCheckedAt: viewer.fetchedAt?.toISOString() ?? null,
    },
  }),
);
