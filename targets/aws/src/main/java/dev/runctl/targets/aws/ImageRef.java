package dev.runctl.targets.aws;

/** {@code image:}: an AMI id, an SSM public parameter naming one, or a name filter and owner. */
public sealed interface ImageRef {
  String describe();

  record ById(String id) implements ImageRef {
    @Override
    public String describe() {
      return id;
    }
  }

  record BySsmParameter(String parameter) implements ImageRef {
    @Override
    public String describe() {
      return "ssm_parameter " + parameter;
    }
  }

  /** The newest image (by creation date) whose name matches {@code namePattern} ({@code *}, ?). */
  record ByName(String namePattern, String owner) implements ImageRef {
    @Override
    public String describe() {
      return "newest of name \"" + namePattern + "\" owner " + owner;
    }
  }
}
