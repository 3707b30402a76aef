/** The farm (BullMQ and its Redis driver), imported only by `run --queue` and `worker`. */
export function loadFarm(): Promise<typeof import('@vrm-lora/farm')> {
  return import('@vrm-lora/farm');
}
