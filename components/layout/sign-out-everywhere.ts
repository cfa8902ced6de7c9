// "Sign out everywhere" as a pure sequence: end every session on the server, and only once the server
// has confirmed it, sign this browser out too. A refusal or a network failure leaves everything as it
// was (this session included) and says so; it is never taken for success.

export type SignOutEverywhereResult = { kind: "signed-out" } | { kind: "failed"; message: string };

type Deps = {
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  signOut: () => Promise<unknown>;
};

async function serverMessage(response: Response): Promise<string | null> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: unknown } } | null;
  const message = body?.error?.message;
  return typeof message === "string" && message.length > 0 ? message.slice(0, 200) : null;
}

export async function signOutEverywhere(deps: Deps): Promise<SignOutEverywhereResult> {
  let response: Response;
  try {
    response = await deps.fetch("/api/sessions", {
      method: "DELETE",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: "{}",
      cache: "no-store",
    });
  } catch {
    return {
      kind: "failed",
      message: "Could not reach Stageboard to sign out everywhere. Nothing was changed; try again.",
    };
  }
  if (!response.ok) {
    const reason = (await serverMessage(response)) ?? `the server answered ${response.status}`;
    return { kind: "failed", message: `Could not sign out everywhere (${reason}). Nothing was changed; try again.` };
  }
  await deps.signOut();
  return { kind: "signed-out" };
}
