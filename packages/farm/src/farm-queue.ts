/** The Redis key prefix of every farm queue (BullMQ's `prefix`): `vrm-lora:<queue name>:…`. */
export const FARM_PREFIX = 'vrm-lora';

/** The queue name submitters and workers use unless told otherwise. */
export const DEFAULT_QUEUE_NAME = 'vrm-lora';
