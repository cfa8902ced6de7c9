"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { CONTROL_COMMANDS, type PolicyOverride } from "@/lib/config/policy";
import { putPolicy } from "@/lib/control/api-client";
import { REPOSITORY_PERMISSIONS } from "@/lib/control/contract";
import {
  policyFormFromOverride,
  policyUpdateFromForm,
  type PolicyFormValues,
  type PolicyUpdateBody,
} from "@/lib/control/policy-form";
import { SOURCE_LABELS, type Explained, type ExplainedPolicy } from "@/lib/control/policy-sources";
import { controlKeys } from "@/lib/control/query-keys";
import { auditActionLabel } from "@/lib/control/audit-text";
import { BUTTON, CARD, INPUT, MUTED } from "@/components/ui/styles";

export type PolicyScope = { pipelineId: string | null; stageName: string | null; label: string };

/** One level's policy as the settings page shows it. */
export type PolicyLevelView = {
  repository: string;
  scope: PolicyScope;
  explained: ExplainedPolicy;
  current: PolicyOverride | null;
  canEdit: boolean;
};

const show = (value: unknown): string =>
  typeof value === "boolean"
    ? value
      ? "On"
      : "Off"
    : Array.isArray(value)
      ? value.length
        ? value.join(", ")
        : "None"
      : String(value);

function Row({
  label,
  explained,
  children,
}: Readonly<{ label: string; explained: Explained<unknown>; children?: React.ReactNode }>) {
  return (
    <tr className="align-top">
      <th scope="row" className="px-3 py-2 text-left font-medium">
        {label}
      </th>
      <td className="px-3 py-2" data-testid="policy-effective">
        {show(explained.value)}
        <span className={`block text-xs ${MUTED}`}>from {SOURCE_LABELS[explained.source]}</span>
      </td>
      {children !== undefined && <td className="px-3 py-2">{children}</td>}
    </tr>
  );
}

function Choice({
  label,
  value,
  onChange,
  options,
}: Readonly<{ label: string; value: string; onChange: (v: string) => void; options: [string, string][] }>) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} className={INPUT}>
      <option value="">Inherit</option>
      {options.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </select>
  );
}

const PERMISSIONS = REPOSITORY_PERMISSIONS.map((p) => [p, p] as [string, string]);
const ON_OFF: [string, string][] = [
  ["on", "On"],
  ["off", "Off"],
];

/**
 * The approval and command policy at one level (repository, pipeline or stage): each effective value with
 * where it comes from, and, for the repository's GitHub admins and Stageboard administrators, this level's
 * overrides ("Inherit" leaves a value to the level above). Every save is audited by the server.
 */
export function PolicyEditor({ repository, scope, explained, current, canEdit }: Readonly<PolicyLevelView>) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<PolicyFormValues>(() => policyFormFromOverride(current));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (body: PolicyUpdateBody) => putPolicy<PolicyUpdateBody, unknown>(repository, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: controlKeys.all });
      router.refresh();
    },
  });
  const set = (patch: Partial<PolicyFormValues>) => setValues({ ...values, ...patch });
  const a = explained.approvals;
  const edit = canEdit ? (node: React.ReactNode) => node : () => undefined;

  return (
    <form
      aria-label={`Policy for ${scope.label}`}
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const checked = policyUpdateFromForm(scope, values);
        if (!checked.ok) return setErrors(checked.errors);
        setErrors({});
        save.mutate(checked.body);
      }}
    >
      <div className={`overflow-x-auto ${CARD}`}>
        <table className="min-w-full text-sm">
          <caption className="px-3 pt-3 text-left font-medium">Who may approve</caption>
          <thead className={`text-xs ${MUTED}`}>
            <tr>
              <th scope="col" className="px-3 py-2 text-left font-medium">
                Setting
              </th>
              <th scope="col" className="px-3 py-2 text-left font-medium">
                In effect
              </th>
              {canEdit && (
                <th scope="col" className="px-3 py-2 text-left font-medium">
                  Set for {scope.label}
                </th>
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            <Row label="Minimum GitHub permission" explained={a.minPermission}>
              {edit(
                <Choice
                  label="Minimum GitHub permission"
                  value={values.minPermission}
                  onChange={(v) => set({ minPermission: v })}
                  options={PERMISSIONS}
                />,
              )}
            </Row>
            <Row label="Required teams (any of)" explained={a.requiredTeams}>
              {edit(
                <div className="space-y-1">
                  <label className="flex items-center gap-2">
                    <input
                      type="checkbox"
                      checked={values.requiredTeams !== null}
                      onChange={(e) => set({ requiredTeams: e.target.checked ? "" : null })}
                    />
                    Set here
                  </label>
                  {values.requiredTeams !== null && (
                    <input
                      aria-label="Required teams"
                      value={values.requiredTeams}
                      onChange={(e) => set({ requiredTeams: e.target.value })}
                      placeholder="org/team, org/other (empty: none)"
                      className={`${INPUT} w-64`}
                    />
                  )}
                  {errors.requiredTeams && (
                    <p className="text-xs text-red-700 dark:text-red-300">{errors.requiredTeams}</p>
                  )}
                </div>,
              )}
            </Row>
            <Row label="Prevent self-approval" explained={a.preventSelfApproval}>
              {edit(
                <Choice
                  label="Prevent self-approval"
                  value={values.preventSelfApproval}
                  onChange={(v) => set({ preventSelfApproval: v })}
                  options={ON_OFF}
                />,
              )}
            </Row>
            <Row label="Required approvals" explained={a.requiredApprovals}>
              {edit(
                <Choice
                  label="Required approvals"
                  value={values.requiredApprovals}
                  onChange={(v) => set({ requiredApprovals: v })}
                  options={Array.from({ length: 10 }, (_, i) => [String(i + 1), String(i + 1)])}
                />,
              )}
            </Row>
            <Row label="Comment required to approve" explained={a.requireApproveComment}>
              {edit(
                <Choice
                  label="Comment required to approve"
                  value={values.requireApproveComment}
                  onChange={(v) => set({ requireApproveComment: v })}
                  options={ON_OFF}
                />,
              )}
            </Row>
          </tbody>
        </table>
      </div>
      <div className={`overflow-x-auto ${CARD}`}>
        <table className="min-w-full text-sm">
          <caption className="px-3 pt-3 text-left font-medium">Minimum GitHub permission per command</caption>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {CONTROL_COMMANDS.map((kind) => (
              <Row key={kind} label={auditActionLabel(kind)} explained={explained.commands[kind]}>
                {edit(
                  <Choice
                    label={`${auditActionLabel(kind)}: minimum permission`}
                    value={values.commands[kind]}
                    onChange={(v) => set({ commands: { ...values.commands, [kind]: v } })}
                    options={PERMISSIONS}
                  />,
                )}
              </Row>
            ))}
          </tbody>
        </table>
      </div>
      {canEdit ? (
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={BUTTON} disabled={save.isPending}>
            {save.isPending ? "Saving…" : `Save for ${scope.label}`}
          </button>
          <span aria-live="polite" className="text-sm">
            {save.isSuccess && <span className="text-emerald-800 dark:text-emerald-200">Saved.</span>}
            {errors.form && <span className="text-red-700 dark:text-red-300">{errors.form}</span>}
          </span>
          {save.isError && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {save.error.message}
            </p>
          )}
        </div>
      ) : (
        <p className={`text-sm ${MUTED}`}>
          Only the repository&apos;s GitHub admins and Stageboard administrators can change this policy.
        </p>
      )}
    </form>
  );
}
