package dev.runctl.targets.local;

import dev.runctl.engine.spi.SyncRequest;

/** Progress lines in increasing order, although copies finish on several threads. */
final class SyncProgress {
  private final SyncRequest request;
  private final int files;
  private final long total;
  private int reported;

  SyncProgress(SyncRequest request, int files, long total) {
    this.request = request;
    this.files = files;
    this.total = total;
  }

  synchronized void report(int done, long bytes) {
    if (done > reported) {
      reported = done;
      request
          .progress()
          .accept(
              String.format(
                  "sent %d/%d files (%.1f/%.1f MB)", done, files, bytes / 1e6, total / 1e6));
    }
  }
}
