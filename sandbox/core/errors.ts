// An AWS-modelled error. Operations throw it; the wire layer turns it into `__type` + `x-amzn-ErrorType`.
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = type === "ConflictException" ? 409 : 400,
  ) {
    super(message);
  }
}

export function pipelineNotFound(account: string, name: string): AwsError {
  return new AwsError(
    "PipelineNotFoundException",
    `The account with id '${account}' does not include a pipeline with the name '${name}'`,
  );
}
