// What a settings form says after its save: "Saved" once the server took it, or the server's refusal in words.
export function SaveOutcome({ saved, error }: Readonly<{ saved: boolean; error: Error | null }>) {
  return (
    <>
      {saved && (
        <span role="status" className="text-sm">
          Saved
        </span>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error.message}
        </p>
      )}
    </>
  );
}
