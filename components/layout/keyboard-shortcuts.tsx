"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { SEARCH_SELECTORS, SHORTCUTS, shortcutFor } from "@/lib/keyboard/shortcuts";

function findSearchBox(): HTMLInputElement | null {
  for (const selector of SEARCH_SELECTORS) {
    const found = document.querySelector<HTMLInputElement>(selector);
    if (found) return found;
  }
  return null;
}

/** "/" focuses the search box (on a page without one, the overview's filter), "?" opens the list of shortcuts. */
export function KeyboardShortcuts() {
  const dialog = useRef<HTMLDialogElement>(null);
  const pendingSearch = useRef(false);
  const router = useRouter();
  const pathname = usePathname();

  useEffect(() => {
    if (!pendingSearch.current) return;
    // After "/" on a page without a search box sent the person to the overview: focus its filter as
    // soon as it renders (the overview may stream in after its loading state).
    const focusWhenThere = () => {
      const box = findSearchBox();
      if (!box) return false;
      pendingSearch.current = false;
      box.focus();
      return true;
    };
    if (focusWhenThere()) return;
    const observer = new MutationObserver(() => {
      if (focusWhenThere()) observer.disconnect();
    });
    observer.observe(document.body, { childList: true, subtree: true });
    const giveUp = setTimeout(() => {
      observer.disconnect();
      pendingSearch.current = false;
    }, 10_000);
    return () => {
      observer.disconnect();
      clearTimeout(giveUp);
    };
  }, [pathname]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (dialog.current?.open) return;
      const decision = shortcutFor({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        defaultPrevented: event.defaultPrevented,
        target: target && {
          tagName: target.tagName,
          type: target instanceof HTMLInputElement ? target.type : null,
          isContentEditable: target.isContentEditable,
        },
      });
      if (decision.kind === "none") return;
      event.preventDefault();
      if (decision.kind === "show-help") {
        dialog.current?.showModal();
        return;
      }
      const box = findSearchBox();
      if (box) {
        box.focus();
        box.select();
      } else {
        pendingSearch.current = true;
        router.push("/");
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [router]);

  return (
    <dialog
      ref={dialog}
      aria-labelledby="shortcuts-title"
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <div className="flex items-center justify-between border-b border-zinc-200 px-4 py-3 dark:border-zinc-700">
        <h2 id="shortcuts-title" className="font-semibold">
          Keyboard shortcuts
        </h2>
        <form method="dialog">
          <button
            type="submit"
            className="rounded px-2 py-1 text-sm hover:bg-zinc-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-600 dark:hover:bg-zinc-800"
          >
            Close
          </button>
        </form>
      </div>
      <dl className="divide-y divide-zinc-100 px-4 py-2 text-sm dark:divide-zinc-800">
        {SHORTCUTS.map((s) => (
          <div key={s.keys} className="flex items-center justify-between gap-4 py-2">
            <dt className="text-zinc-700 dark:text-zinc-300">{s.does}</dt>
            <dd>
              <kbd className="rounded border border-zinc-300 bg-zinc-50 px-1.5 py-0.5 font-mono text-xs dark:border-zinc-600 dark:bg-zinc-800">
                {s.keys}
              </kbd>
            </dd>
          </div>
        ))}
      </dl>
    </dialog>
  );
}
