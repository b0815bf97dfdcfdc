package dev.runctl.engine.spi;

import java.util.List;

/** What a sync did, and which required paths the machine still lacks. */
public record SyncResult(int filesSent, long bytesSent, int filesDeleted, List<String> missing) {
  public SyncResult {
    missing = List.copyOf(missing);
  }
}
