import Link from "next/link";
import type { InputHTMLAttributes, ReactNode } from "react";
import { BUTTON, INPUT, LINK } from "@/components/ui/styles";

// The filter bars (overview, execution history, audit log) are plain GET forms: the filters live in the URL,
// so a filtered page is a link, and the form works before any script loads. Each field has its label above it.

/** A GET search form with Apply, and "Clear filters" back to `clearHref` while any filter is set. */
export function FilterForm({
  label,
  action,
  clearHref,
  active,
  className = "",
  children,
}: Readonly<{
  label: string;
  /** Where it submits; left out, the page it is on. */
  action?: string;
  clearHref: string;
  active: boolean;
  className?: string;
  children: ReactNode;
}>) {
  return (
    <form
      method="get"
      action={action}
      role="search"
      aria-label={label}
      className={`${className} flex flex-wrap items-end gap-2`.trim()}
    >
      {children}
      <button type="submit" className={BUTTON}>
        Apply
      </button>
      {active && (
        <Link href={clearHref} className={`py-1.5 text-sm ${LINK}`}>
          Clear filters
        </Link>
      )}
    </form>
  );
}

/** A field's label above its control. */
export function FilterField({ label, children }: Readonly<{ label: string; children: ReactNode }>) {
  return (
    <label className="flex flex-col text-sm">
      <span className="mb-1">{label}</span>
      {children}
    </label>
  );
}

/** A choice of one value, "" (shown as `any`) for no filter; a value the URL carries stays choosable. */
export function FilterSelect({
  name,
  label,
  value,
  any,
  options,
}: Readonly<{
  name: string;
  label: string;
  value: string | undefined;
  any: string;
  /** [value, text] pairs. */
  options: readonly (readonly [string, string])[];
}>) {
  const all: readonly (readonly [string, string])[] =
    value && !options.some(([v]) => v === value) ? [[value, value], ...options] : options;
  return (
    <FilterField label={label}>
      <select name={name} defaultValue={value ?? ""} className={INPUT}>
        <option value="">{any}</option>
        {all.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </FilterField>
  );
}

/** A text (or date, or search) field. */
export function FilterInput({
  label,
  className = "",
  ...input
}: Readonly<
  { label: string; className?: string } & Pick<
    InputHTMLAttributes<HTMLInputElement>,
    "name" | "type" | "defaultValue" | "placeholder" | "maxLength" | "pattern"
  >
>) {
  return (
    <FilterField label={label}>
      <input {...input} className={`${INPUT} ${className}`.trim()} />
    </FilterField>
  );
}
