// Stands in for `server-only` under Vitest and plain Node: that package only marks modules that
// must never reach a client bundle, which is a bundler concern.
export {};
