/**
 * The {@code s3} state backend: runs kept in an S3 bucket besides the local state folder ({@code
 * state: {backend: s3, bucket, prefix, region}} or {@code RUNCTL_STATE=s3://bucket/prefix}). {@link
 * S3StateBackend} loads no SDK class; {@link S3RemoteState} does, once a store is opened.
 */
package dev.runctl.targets.aws.state;
