import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { checkedKey, NotStored, type ObjectStore } from './object-store';

export interface S3Settings {
  bucket: string;
  region: string;
  /** Another S3-compatible service than AWS; its buckets are then addressed by path. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Objects in an S3-compatible bucket through the AWS SDK v3. The bytes are streamed from the upload's
 * temporary file with their length (no buffering of a 50 MB file), and served as a stream.
 */
export function s3Store(settings: S3Settings): ObjectStore & { client: S3Client } {
  const client = new S3Client({
    region: settings.region,
    // By default the SDK wraps streamed uploads in "aws-chunked" framing with a trailing checksum, which
    // S3-compatible stores that predate it keep as part of the object (s3rver did: 592 bytes became
    // 635). The upload's own SHA-256 goes as a plain header instead (put), which AWS checks.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  });
  const Bucket = settings.bucket;
  const absent = (error: unknown) =>
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
  return {
    client,
    async put(key, path, file) {
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: checkedKey(key),
          Body: createReadStream(path),
          ContentLength: file.size,
          ContentType: file.contentType,
          // The hash we computed, sent as a header: the store refuses bytes that do not match it.
          ChecksumSHA256: Buffer.from(file.sha256, 'hex').toString('base64'),
        }),
      );
    },
    async get(key): Promise<Readable> {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: checkedKey(key) }));
        return object.Body as Readable;
      } catch (error) {
        if (absent(error)) throw new NotStored(key);
        throw error;
      }
    },
    async has(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: checkedKey(key) }));
        return true;
      } catch (error) {
        if (absent(error)) return false;
        throw error;
      }
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: checkedKey(key) }));
    },
    async move(from, to) {
      try {
        await client.send(
          new CopyObjectCommand({ Bucket, Key: checkedKey(to), CopySource: `${Bucket}/${checkedKey(from)}` }),
        );
      } catch (error) {
        if (absent(error)) throw new NotStored(from);
        throw error;
      }
      await client.send(new DeleteObjectCommand({ Bucket, Key: from }));
    },
  };
}
