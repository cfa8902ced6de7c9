/** The advisory lock that serialises writers of the execution rollups (the consumer's batches and a rebuild). */
export const INSIGHT_CONSUMER_LOCK = 7_117_001;
