package dev.runctl.engine.spi;

import java.util.OptionalInt;

/**
 * One look at a detached process: its state, exit code once it has ended, the output written since
 * the offset asked for, the offset to ask next, and a signature of the watched folder (it changes
 * when a file there is added, removed or rewritten).
 */
public record ProcessPoll(
    State state, OptionalInt exitCode, byte[] output, long nextOffset, String watchSignature) {

  public enum State {
    RUNNING,
    EXITED,
    /** Neither running nor with a recorded exit code: the machine or its records are gone. */
    LOST
  }
}
