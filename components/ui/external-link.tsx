import type { ReactNode } from "react";
import { safeHttpUrl } from "@/lib/safe-url";

/**
 * A link to somewhere outside Stageboard (CodeBuild run, deployment, commit). URLs come from AWS
 * or GitHub data, so only http(s) ones become links; anything else renders its label as text.
 */
export function ExternalLink({
  href,
  children,
  className,
}: Readonly<{ href: string | null | undefined; children: ReactNode; className?: string }>) {
  const url = safeHttpUrl(href);
  if (!url) return <span className={className}>{children}</span>;
  return (
    <a
      href={url}
      target="_blank"
      rel="noopener noreferrer nofollow"
      className={`underline decoration-zinc-400 underline-offset-2 hover:decoration-current ${className ?? ""}`}
    >
      {children}
      <span className="sr-only"> (opens in a new tab)</span>
    </a>
  );
}
