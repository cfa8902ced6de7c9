import type { KeyObject } from "node:crypto";
import { createPrivateKey, createPublicKey, generateKeyPair, generateKeyPairSync } from "node:crypto";
import { promisify } from "node:util";

export interface AppKeyPair {
  publicKey: KeyObject;
  /** PKCS#1 ("BEGIN RSA PRIVATE KEY"), the form GitHub hands out. */
  privateKeyPem: string;
}

const generate = promisify(generateKeyPair);
// GitHub's App keys are 2048-bit RSA.
const OPTIONS = {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
} as const;

/** For registrations while serving: off the event loop, so other requests keep being answered. */
export async function generateAppKey(): Promise<AppKeyPair> {
  const { publicKey, privateKey } = await generate("rsa", OPTIONS);
  return { publicKey: createPublicKey(publicKey), privateKeyPem: privateKey };
}

/** For Apps configured at start, before the server listens. */
export function generateAppKeySync(): AppKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", OPTIONS);
  return { publicKey: createPublicKey(publicKey), privateKeyPem: privateKey };
}

/** The public half of a PEM private key (PKCS#1 or PKCS#8); throws when it is not an RSA private key. */
export function publicKeyOf(privateKeyPem: string): KeyObject {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== "rsa") throw new Error("the App's private key must be an RSA key");
  return createPublicKey(privateKey);
}
