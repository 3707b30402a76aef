import { describe, expect, it } from 'vitest';
import { queueConnectionOf, redactedQueueUrl } from '../src/queue-connection.js';

describe('queueConnectionOf', () => {
  it('reads host, port, ACL user, password and database from the URL', () => {
    expect(queueConnectionOf('redis://render:s%3Acret@10.0.0.5:6380/2', {}, {})).toEqual({
      host: '10.0.0.5',
      port: 6380,
      username: 'render',
      password: 's:cret',
      db: 2,
      maxRetriesPerRequest: null,
    });
  });

  it('takes the password from $VRM_LORA_REDIS_PASSWORD when the URL has none', () => {
    expect(queueConnectionOf('redis://localhost', {}, { VRM_LORA_REDIS_PASSWORD: 'pw' })).toMatchObject({
      host: 'localhost',
      port: 6379,
      password: 'pw',
    });
  });

  it('turns TLS on for rediss://, checking the server name', () => {
    expect(queueConnectionOf('rediss://redis.example:6390', {}, {})).toMatchObject({
      tls: { servername: 'redis.example' },
    });
    expect(queueConnectionOf('redis://redis.example', {}, {})).not.toHaveProperty('tls');
  });

  it('names the fix for a URL it cannot use, without printing the password', () => {
    expect(() => queueConnectionOf('http://u:secret@host', {}, {})).toThrow(
      '--queue http://u:***@host/: the scheme must be redis:// or rediss:// (TLS), not http://',
    );
    expect(() => queueConnectionOf('localhost:6379', {}, {})).toThrow(/scheme must be redis:\/\//);
    expect(() => queueConnectionOf('redis://host/queue', {}, {})).toThrow(
      'the path is a database number (/0), not "queue"',
    );
    expect(redactedQueueUrl('redis://u:secret@host:1')).toBe('redis://u:***@host:1');
  });
});
