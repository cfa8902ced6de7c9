import "server-only";
import type { CommandBody } from "@/lib/control/contract";
import type { Db } from "@/lib/server/db/client";
import { overrideCondition } from "./override-condition";
import { retryStage } from "./retry-stage";
import { rollbackStage } from "./rollback-stage";
import type { CommandActor, CommandSend } from "./send";
import { startExecution } from "./start-execution";
import { stopExecution } from "./stop-execution";
import { disableTransition, enableTransition } from "./transitions";

/** The one AWS call a command body stands for. */
export function sendFor(body: CommandBody, actor: CommandActor, db: Db): CommandSend {
  switch (body.kind) {
    case "retry-stage":
      return retryStage(body);
    case "stop-execution":
      return stopExecution(body, actor);
    case "disable-transition":
      return disableTransition(body, actor);
    case "enable-transition":
      return enableTransition(body);
    case "start-execution":
      return startExecution(body, actor, db);
    case "rollback-stage":
      return rollbackStage(body, actor, db);
    case "override-condition":
      return overrideCondition(body);
  }
}
