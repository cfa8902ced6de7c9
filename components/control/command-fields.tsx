"use client";

import { useId } from "react";
import { awsTextHint } from "@/lib/control/command-forms";
import { INPUT, MUTED } from "@/components/ui/styles";

// The fields a command's dialog is made of. Each ties its error (from the route's schema, checked on submit)
// to its control by id, so a screen reader reads the problem with the field.

/** A labelled field's error, tied to it by id. */
export function FieldError({ id, message }: Readonly<{ id: string; message: string | undefined }>) {
  if (!message) return null;
  return (
    <p id={id} className="text-xs text-red-700 dark:text-red-300">
      {message}
    </p>
  );
}

/**
 * "Reason": free text Stageboard keeps whole in its audit log. AWS takes less (a length, and for transitions
 * a character set), so the hint under it says what AWS will keep, as the person types.
 */
export function ReasonField({
  value,
  onChange,
  limit,
  required,
  error,
}: Readonly<{
  value: string;
  onChange: (value: string) => void;
  limit: "stopReason" | "transitionReason";
  required: boolean;
  error: string | undefined;
}>) {
  const id = useId();
  const hint = awsTextHint(limit, value);
  return (
    <>
      <label htmlFor={`${id}-reason`} className="block font-medium">
        Reason {!required && <span className={`font-normal ${MUTED}`}>(optional)</span>}
      </label>
      <textarea
        id={`${id}-reason`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={2}
        required={required}
        maxLength={4000}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint`}
        className={`${INPUT} w-full`}
      />
      {error ? (
        <FieldError id={`${id}-hint`} message={error} />
      ) : (
        hint && (
          <p id={`${id}-hint`} className={`text-xs ${MUTED}`}>
            {hint}
          </p>
        )
      )}
    </>
  );
}

/** One choice among a few, as radio buttons. */
export function ChoiceField<T extends string | boolean>({
  legend,
  name,
  value,
  onChange,
  options,
}: Readonly<{
  legend: string;
  name: string;
  value: T;
  onChange: (value: T) => void;
  /** [value, text] pairs, in the order shown. */
  options: readonly (readonly [T, string])[];
}>) {
  return (
    <fieldset className="space-y-1">
      <legend className="font-medium">{legend}</legend>
      {options.map(([option, text]) => (
        <label key={String(option)} className="flex items-center gap-2">
          <input
            type="radio"
            name={name}
            value={String(option)}
            checked={value === option}
            onChange={() => onChange(option)}
          />
          {text}
        </label>
      ))}
    </fieldset>
  );
}

/** A labelled list to pick one value from. */
export function SelectField({
  label,
  value,
  onChange,
  options,
  error,
}: Readonly<{
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** [value, text] pairs. */
  options: readonly (readonly [string, string])[];
  error?: string;
}>) {
  const id = useId();
  return (
    <div className="flex flex-col">
      <label htmlFor={`${id}-select`} className="mb-1 font-medium">
        {label}
      </label>
      <select
        id={`${id}-select`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-error`}
        className={`${INPUT} w-full`}
      >
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
