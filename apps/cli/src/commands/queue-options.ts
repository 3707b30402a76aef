import { type Command, InvalidArgumentError, Option } from 'commander';

/** Flags of every command that talks to the farm's queue. */
export interface QueueFlags {
  queue?: string;
  queueName?: string;
  redisTlsCa?: string;
  redisTlsCert?: string;
  redisTlsKey?: string;
}

export function addQueueOptions(cmd: Command, queueHelp: string): Command {
  return cmd
    .option('--queue <url>', queueHelp)
    .option('--queue-name <name>', "queue name; a farm's submitters and workers use the same", 'vrm-lora')
    .option('--redis-tls-ca <file>', "PEM of the CA that signed Redis's certificate (rediss://)")
    .option('--redis-tls-cert <file>', 'PEM client certificate for Redis (rediss://)')
    .option('--redis-tls-key <file>', 'PEM key of the client certificate (rediss://)');
}

/** The TLS files of the flags, for `queueConnectionOf`. */
export function tlsOf(flags: QueueFlags) {
  return {
    ...(flags.redisTlsCa ? { caFile: flags.redisTlsCa } : {}),
    ...(flags.redisTlsCert ? { certFile: flags.redisTlsCert } : {}),
    ...(flags.redisTlsKey ? { keyFile: flags.redisTlsKey } : {}),
  };
}

/** A whole number ≥ 1 option. */
export function positiveIntOption(flags: string, description: string, fallback?: number): Option {
  const option = new Option(flags, description).argParser((value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
    return n;
  });
  return fallback === undefined ? option : option.default(fallback);
}
