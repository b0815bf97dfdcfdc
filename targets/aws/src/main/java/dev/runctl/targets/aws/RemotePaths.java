package dev.runctl.targets.aws;

/**
 * Where things live for one run: on the instance under {@code $HOME/runctl/<run-id>/} ({@code
 * /root} when SSM leaves HOME unset), and in the bucket under {@code runctl/}.
 */
record RemotePaths(String home, String runId) {

  String base() {
    return home + "/runctl/" + runId;
  }

  String workdir() {
    return base() + "/work";
  }

  String state() {
    return base() + "/state";
  }

  String cache() {
    return home + "/runctl/cache";
  }

  String blobs() {
    return home + "/runctl/blobs";
  }

  /** The folders of the run's detached processes, one per process ({@link #process}). */
  String procs() {
    return base() + "/procs";
  }

  String process(String name) {
    return procs() + "/" + safeName(name);
  }

  /** The guard's folder ({@link Guard}). */
  String guard() {
    return base() + "/guard";
  }

  /** Touched by every command runctl sends: the guard's sign that somebody looks. */
  String seen() {
    return home + "/runctl/.seen";
  }

  /** An absolute path on the instance for {@code path} relative to the workdir. */
  String resolve(String path) {
    if (path.startsWith("/")) {
      return path;
    }
    String p = path.startsWith("./") ? path.substring(2) : path;
    return p.isEmpty() || p.equals(".") ? workdir() : workdir() + "/" + p;
  }

  static String runPrefix(String runId) {
    return "runctl/runs/" + runId + "/";
  }

  static String blobPrefix() {
    return "runctl/blobs/";
  }

  /** Caches shared by every run's instances (pip wheels): {@code runctl/cache/<key>/}. */
  static String sharedPrefix() {
    return "runctl/cache/";
  }

  static String watchPrefix(String runId, String name) {
    return runPrefix(runId) + "watch/" + safeName(name) + "/";
  }

  static String safeName(String name) {
    return name.replaceAll("[^A-Za-z0-9_.-]", "_");
  }
}
