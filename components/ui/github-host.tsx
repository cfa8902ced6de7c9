"use client";

import { createContext, useContext, type ReactNode } from "react";

// The configured GitHub URL, the one trusted host commit links are built on. It is public (every
// page links to it), so the dashboard layout hands it to client components once.
const GitHubHostContext = createContext<string | null>(null);

export function GitHubHost({ url, children }: Readonly<{ url: string; children: ReactNode }>) {
  return <GitHubHostContext value={url}>{children}</GitHubHostContext>;
}

export function useGitHubHost(): string | null {
  return useContext(GitHubHostContext);
}
