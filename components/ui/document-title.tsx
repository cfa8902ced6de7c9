"use client";

import { useEffect } from "react";

/** Keeps the tab's title in step with live data (the page's metadata sets it once, at load). */
export function DocumentTitle({ title }: Readonly<{ title: string }>) {
  useEffect(() => {
    document.title = `${title} · Stageboard`;
  }, [title]);
  return null;
}
