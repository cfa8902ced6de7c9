// Shape of the JSON that boto3-client.py prints, parsed strictly so a changed script fails loudly.
import { z } from "zod";

const clientErrorSchema = z.object({
  code: z.string().nullable(),
  message: z.string(),
  httpStatus: z.number().int(),
});

const pagedSchema = z.object({
  pipeline: z.string(),
  pageSizes: z.array(z.number().int()),
  ids: z.array(z.string()),
});

export const interopReportSchema = z.object({
  boto3: z.string(),
  botocore: z.string(),
  pipelines: z.object({ names: z.array(z.string()), createdIsDatetime: z.boolean() }),
  getPipeline: z.object({ name: z.string(), stages: z.array(z.string()), pipelineArn: z.string() }),
  getPipelineState: z.object({ pipelineName: z.string(), stages: z.array(z.string()) }),
  executions: pagedSchema.extend({ startTimesAreDatetimes: z.boolean() }),
  actionExecutions: pagedSchema,
  approval: z
    .object({
      pipeline: z.string(),
      stage: z.string(),
      action: z.string(),
      token: z.string(),
      approvedAtIsDatetime: z.boolean(),
      statusAfter: z.string().nullable(),
    })
    .nullable(),
  errors: z.object({
    pipelineNotFound: clientErrorSchema,
    badName: clientErrorSchema,
    pageTooLarge: clientErrorSchema,
    unknownToken: clientErrorSchema.optional(),
    tokenReused: clientErrorSchema.optional(),
  }),
});

export type InteropReport = z.infer<typeof interopReportSchema>;

export function parseInteropReport(stdout: string): InteropReport {
  return interopReportSchema.parse(JSON.parse(stdout));
}
