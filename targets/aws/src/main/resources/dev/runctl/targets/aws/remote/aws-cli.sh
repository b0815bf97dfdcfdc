# runctl's own AWS CLI calls retry as its SDK calls do: standard mode (exponential backoff with
# jitter), up to 10 attempts, so that throttling (S3's SlowDown) slows a step down instead of
# failing it. A function, not exported variables: the user's commands see their own environment.
runctl_aws() {
  AWS_RETRY_MODE="${AWS_RETRY_MODE:-standard}" AWS_MAX_ATTEMPTS="${AWS_MAX_ATTEMPTS:-10}" command aws "$@"
}
# Copies s3://$1/$2 to the file $3: through botocore in one python3 when the image has it (the AWS
# CLI takes a second or more to start, several on a busy machine), else (or when that fails) through
# the AWS CLI.
runctl_s3_get() {
  python3 -c '
import shutil, sys
import botocore.config, botocore.session
s3 = botocore.session.get_session().create_client(
    "s3", config=botocore.config.Config(retries={"mode": "standard", "max_attempts": 10}))
with open(sys.argv[3], "wb") as out:
    shutil.copyfileobj(s3.get_object(Bucket=sys.argv[1], Key=sys.argv[2])["Body"], out)
' "$1" "$2" "$3" 2>/dev/null || runctl_aws s3 cp --only-show-errors "s3://$1/$2" "$3"
}
