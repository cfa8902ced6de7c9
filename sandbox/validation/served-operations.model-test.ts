// The sandbox's served operations against botocore's full model (npm run test:model): all 44
// operations, and every response's enums, lengths, ranges, patterns and errors as well.
import { loadFullModel } from "../test-support/model-file";
import { describeServedOperations } from "../test-support/served-operations-suite";

describeServedOperations("the sandbox's served operations (botocore's model)", loadFullModel);
