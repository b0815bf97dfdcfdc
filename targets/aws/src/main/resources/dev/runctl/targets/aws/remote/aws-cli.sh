# runctl's own AWS CLI calls retry as its SDK calls do: standard mode (exponential backoff with
# jitter), up to 10 attempts, so that throttling (S3's SlowDown) slows a step down instead of
# failing it. A function, not exported variables: the user's commands see their own environment.
runctl_aws() {
  AWS_RETRY_MODE="${AWS_RETRY_MODE:-standard}" AWS_MAX_ATTEMPTS="${AWS_MAX_ATTEMPTS:-10}" command aws "$@"
}
