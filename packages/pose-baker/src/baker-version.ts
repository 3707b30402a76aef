/**
 * Version of the baker's output. Part of every pose's cache key: bump it on any change that can change
 * a baked pose (maths, rounding, bone table, built-in pose data, frame-rate inference).
 */
export const BAKER_VERSION = '1.0.0';
