"use client";

import { useId, useRef, useState, type ReactNode } from "react";
import { checkCommand } from "@/lib/control/command-forms";
import { confirmationFor } from "@/lib/control/confirmations";
import type { CommandBody } from "@/lib/control/contract";
import { BUTTON, FOCUS, MUTED } from "@/components/ui/styles";
import { useCommand } from "./hooks/use-command";

const SMALL_BUTTON = `rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800 ${FOCUS}`;
const DANGER = `rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 dark:bg-red-600 dark:hover:bg-red-500 ${FOCUS}`;
const CANCEL = `rounded-md px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:hover:bg-zinc-800 ${FOCUS}`;

/** The pipeline a command acts on. */
export type CommandTarget = { pipelineId: string; pipelineName: string };

/**
 * A command behind a button, the one dialog every command uses: the button opens a modal dialog (focus
 * moves into it, Escape closes it, focus returns to the button) that says what will happen, holds the
 * command's own fields, checks them with the route's schema, and sends. The outcome is announced beside
 * the button once the dialog closes. A command is its body and its fields; everything else is here.
 */
export function CommandDialog({
  label,
  accessibleLabel,
  target,
  inProgressActions,
  body,
  fields,
}: Readonly<{
  label: string;
  /** The button's name for assistive technology when `label` alone is ambiguous ("Retry Deploy"). */
  accessibleLabel?: string;
  target: CommandTarget;
  /** Actions running now in what the command touches, for the confirmation's words. */
  inProgressActions?: number;
  /** The command as the fields stand now (checked only on submit). */
  body: CommandBody;
  /** The command's fields, given each field's error by its path in the body. */
  fields?: (errors: Record<string, string>) => ReactNode;
}>) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [announce, setAnnounce] = useState<string | null>(null);
  const command = useCommand(target.pipelineId);
  const confirmation = confirmationFor(body, { pipelineName: target.pipelineName, inProgressActions });

  const close = () => {
    dialog.current?.close();
    trigger.current?.focus();
  };
  const open = () => {
    setErrors({});
    setAnnounce(null);
    command.reset();
    dialog.current?.showModal();
  };
  const submit = () => {
    const checked = checkCommand(body);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    command.mutate(checked.body, {
      onSuccess: (outcome) => {
        setAnnounce(outcome.message);
        close();
      },
    });
  };
  const formProblem = errors.form ?? (Object.keys(errors).length && !fields ? Object.values(errors)[0] : null);

  return (
    <span className="inline-flex flex-col items-start">
      <button ref={trigger} type="button" className={SMALL_BUTTON} aria-label={accessibleLabel} onClick={open}>
        {label}
      </button>
      <span aria-live="polite" className="text-xs text-emerald-800 dark:text-emerald-200" data-testid="command-outcome">
        {announce}
      </span>
      <dialog
        ref={dialog}
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-message`}
        onClose={() => trigger.current?.focus()}
        className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <form
          method="dialog"
          className="space-y-3 p-4 text-sm"
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <h2 id={`${id}-title`} className="text-base font-semibold">
            {confirmation.title}
          </h2>
          <p id={`${id}-message`}>{confirmation.message}</p>
          {fields?.(errors)}
          {formProblem && <p className="text-red-700 dark:text-red-300">{formProblem}</p>}
          {command.isError && (
            <p role="alert" className="text-red-700 dark:text-red-300" data-testid="command-error">
              {command.error.message}
            </p>
          )}
          <div className="flex flex-wrap justify-end gap-2">
            <button type="button" className={CANCEL} onClick={close}>
              Cancel
            </button>
            <button type="submit" className={confirmation.destructive ? DANGER : BUTTON} disabled={command.isPending}>
              {command.isPending ? "Sending…" : confirmation.confirmLabel}
            </button>
          </div>
          <p className={`text-xs ${MUTED}`}>Stageboard records who sent this, and why, in its audit log.</p>
        </form>
      </dialog>
    </span>
  );
}
