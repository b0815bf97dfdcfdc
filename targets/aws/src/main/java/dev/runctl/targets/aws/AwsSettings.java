package dev.runctl.targets.aws;

import dev.runctl.engine.spi.SettingsSchema;

/**
 * What {@code target:} with {@code provider: aws} takes: the schema composed into the job schema,
 * and the forms {@link AwsConfigParser} checks. Loads nothing of the AWS SDK, so that the CLI can
 * compose the job schema without it.
 */
public final class AwsSettings {
  /** An AWS region name: us-east-1, us-gov-west-1, us-isob-east-1. */
  static final String REGION = "[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+";

  /** The settings of the aws target. */
  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
              """
        {
          "description": "aws: EC2 + SSM + S3. Settings of `target:` when `provider: aws`.",
          "type": "object",
          "required": [
            "region",
            "instance_type",
            "image",
            "iam_instance_profile",
            "bucket"
          ],
          "additionalProperties": false,
          "properties": {
            "region": {
              "description": "the region, e.g. us-east-1.",
              "type": "string",
              "pattern": "^REGION$"
            },
            "instance_type": {
              "description": "the EC2 instance type, e.g. g5.xlarge, or a list tried in order when one has no capacity: [g5.xlarge, g6.xlarge].",
              "type": [
                "string",
                "array"
              ],
              "minLength": 1,
              "minItems": 1,
              "items": {
                "type": "string",
                "minLength": 1
              }
            },
            "order": {
              "description": "the order the candidates (instance type x subnet or zone) are tried in: given (default, types first, then zones) or price (cheapest first).",
              "enum": [
                "given",
                "price"
              ]
            },
            "market": {
              "description": "on_demand (default), spot (fails when no spot capacity), or spot_or_on_demand (falls back to on-demand and says so).",
              "enum": [
                "on_demand",
                "spot",
                "spot_or_on_demand"
              ]
            },
            "max_price": {
              "description": "USD/hour ceiling for spot, and the price plan checks the budget with.",
              "type": "number",
              "exclusiveMinimum": 0
            },
            "image": {
              "description": "an AMI id, or {ssm_parameter: /aws/service/...}, or {name: 'Deep Learning*PyTorch*', owner: amazon}.",
              "type": [
                "string",
                "object"
              ],
              "minLength": 1,
              "minProperties": 1,
              "additionalProperties": false,
              "properties": {
                "ssm_parameter": {
                  "description": "An SSM public parameter that names an AMI id.",
                  "type": "string"
                },
                "name": {
                  "description": "An AMI name pattern; the newest match is used.",
                  "type": "string"
                },
                "owner": {
                  "description": "The owner of the AMI named by `name`: amazon, self, or an account id.",
                  "type": "string"
                }
              }
            },
            "iam_instance_profile": {
              "description": "the instance profile: SSM managed-instance core plus read/write on the bucket.",
              "type": "string",
              "minLength": 1
            },
            "bucket": {
              "description": "the S3 bucket for code bundles, logs and collected artifacts.",
              "type": "string",
              "minLength": 3
            },
            "disk_gb": {
              "description": "the root volume size in GiB.",
              "type": "integer",
              "minimum": 8
            },
            "subnet_id": {
              "description": "the subnet to launch in (default: the default VPC's), or a list tried in order when one has no capacity.",
              "type": [
                "string",
                "array"
              ],
              "items": {
                "type": "string"
              }
            },
            "availability_zones": {
              "$ref": "#/$defs/stringList",
              "description": "zones of the default VPC to try in order, e.g. [us-east-1a, us-east-1b]; instead of subnet_id."
            },
            "security_group_ids": {
              "$ref": "#/$defs/stringList",
              "description": "security groups for the instance."
            },
            "idle_timeout": {
              "$ref": "#/$defs/duration",
              "description": "how long an instance whose processes have all ended waits for a runctl to look at it before it saves the checkpoints and logs to the bucket and terminates itself. Default 30m."
            },
            "ready_timeout": {
              "$ref": "#/$defs/duration",
              "description": "how long a new instance may take to be running and online in SSM. Default 10m."
            },
            "key_name": {
              "description": "an EC2 key pair, for SSH access while debugging.",
              "type": "string"
            },
            "tags": {
              "description": "more tags for every resource runctl makes.",
              "type": "object",
              "additionalProperties": {
                "type": "string"
              }
            }
          }
        }
          """
                  .replace("REGION", REGION))
          .whenMissing("region", "e.g. region: us-east-1")
          .whenMissing("instance_type", "e.g. instance_type: g5.xlarge")
          .whenMissing(
              "image",
              "an AMI id, {ssm_parameter: /aws/service/...} or {name: \"Deep Learning*\", owner:"
                  + " amazon}")
          .whenMissing(
              "iam_instance_profile",
              "an instance profile with AmazonSSMManagedInstanceCore and read/write on the bucket")
          .whenMissing(
              "bucket", "an S3 bucket for code, logs and artifacts, e.g. bucket: my-runctl")
          .whenMalformed("region", "'%s' is not an AWS region", "e.g. region: us-east-1");

  private AwsSettings() {}
}
