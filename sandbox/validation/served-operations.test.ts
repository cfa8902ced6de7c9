// The sandbox's served operations against the package model, in every clone: members, types and
// required members of every response (botocore's enums and patterns: served-operations.model-test.ts).
import { loadPackageModel } from "../test-support/model-file";
import { describeServedOperations } from "../test-support/served-operations-suite";

describeServedOperations("the sandbox's served operations (package model)", loadPackageModel);
