package dev.runctl.engine.mirror;

/**
 * Where a run lives in the store, under its root:
 *
 * <pre>
 * runs/&lt;id&gt;/journal/&lt;start offset, 20 digits&gt;   journal segments, in order, complete lines
 * runs/&lt;id&gt;/packs/&lt;sequence, 10 digits&gt;        new bytes of logs and metrics ({@link Pack})
 * runs/&lt;id&gt;/files/&lt;path&gt;                       whole files: spec, snapshot, artifacts' index
 * runs/&lt;id&gt;/lock                               the lease of the live runctl ({@link Lease})
 * runs/&lt;id&gt;/cancel-requested                   a `runctl cancel` from any machine
 * </pre>
 */
public final class RunKeys {
  static final String RUNS = "runs/";
  private final String run;

  public RunKeys(String runId) {
    this.run = RUNS + runId + "/";
  }

  String root() {
    return run;
  }

  String journalPrefix() {
    return run + "journal/";
  }

  String segment(long offset) {
    return journalPrefix() + String.format("%020d", offset);
  }

  String packPrefix() {
    return run + "packs/";
  }

  String pack(long seq) {
    return packPrefix() + String.format("%010d", seq);
  }

  String filePrefix() {
    return run + "files/";
  }

  String file(String relative) {
    return filePrefix() + relative;
  }

  public String lock() {
    return run + "lock";
  }

  public String cancelRequest() {
    return run + "cancel-requested";
  }

  /** The number at the end of a segment's or a pack's key. */
  static long number(String key) {
    return Long.parseLong(key.substring(key.lastIndexOf('/') + 1));
  }
}
