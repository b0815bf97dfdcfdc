/**
 * {@code provider: aws}: EC2 machines reached over SSM, with S3 for code, logs and artifacts. The
 * only package that imports the AWS SDK; {@code AwsSettings} declares the target's settings without
 * loading it.
 */
package dev.runctl.targets.aws;
