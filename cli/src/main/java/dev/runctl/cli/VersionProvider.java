package dev.runctl.cli;

import picocli.CommandLine;

/** {@code runctl --version}: the version the build stamped into the jar's manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = RunctlCommand.class.getPackage().getImplementationVersion();
    return new String[] {
      "runctl " + (v == null ? "(development build)" : v),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
